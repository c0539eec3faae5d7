"""Record ids as they arrive from URLs, query strings and form selects (always as text)."""

MAX_ID = 2**31 - 1  # ids are 32-bit integers; anything larger is no id (and would overflow)


def record_id(value) -> int | None:
    """A positive record id, or None for anything else (blank, text, zero, too large)."""
    try:
        number = int(str(value if value is not None else "").strip())
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None


def optional_id(value) -> int | None:
    """For a select's `coerce`: None when nothing was chosen, else the id (a bad value is a
    form error)."""
    if value in (None, "", "None"):
        return None
    number = record_id(value)
    if number is None:
        raise ValueError("not a record id")
    return number
