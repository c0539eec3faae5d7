"""List filters: what their options offer works, and a tampered filter URL is ignored with a
message on every view instead of an error page."""

from datetime import timedelta

import pytest

from app.models.enums import CustomerKind
from app.services.company import local_today
from tests import factories as f
from tests.helpers import model_views

JUNK = [
    "zz",
    "",
    "residential,zz",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e999",
    "nan",
    "2026-02-30",
    "2026-01-02 to 2026-01-01",
    "9999-12-31 to 9999-12-31",
    "0001-01-01 to 0001-01-01",
    "2026-01-01 00:00:00 to zz",
    "\x00",
]


def _every_filter(view, value: str) -> dict[str, str]:
    """The query string that applies each of the view's filters with `value`."""
    return {f"flt{position}_{key}": value for position, key in enumerate(view._filter_args)}


@pytest.mark.parametrize("value", JUNK, ids=repr)
def test_junk_filter_values_never_fail_a_list(app, client, login_as, value):
    login_as("admin")
    with app.app_context():
        f.ServiceRequestFactory()
    views = [view for view in model_views(app) if view._filter_args]
    assert len(views) > 20
    for view in views:
        response = client.get(f"/admin/{view.endpoint}/", query_string=_every_filter(view, value))
        # A control character is refused before any view runs (app.input_guard).
        expected = 400 if "\x00" in value else 200
        assert response.status_code == expected, (view.endpoint, value)


def _filter_key(view, label: str, operation: str) -> str:
    for key, (_, flt) in view._filter_args.items():
        if str(flt.name) == label and str(flt.operation()) == operation:
            return key
    raise AssertionError(f"no {label} {operation} filter on {view.endpoint}")


def test_enum_filters_use_the_values_their_options_offer(app, client, login_as):
    login_as("admin")
    with app.app_context():
        f.CustomerFactory(name="Homeowner Hal", kind=CustomerKind.RESIDENTIAL)
        f.CustomerFactory(name="Bistro Ltd", kind=CustomerKind.COMMERCIAL)
    [view] = [view for view in model_views(app) if view.endpoint == "customer"]
    equals, in_list = _filter_key(view, "Kind", "equals"), _filter_key(view, "Kind", "in list")
    offered = [value for value, _ in view._filters[int(equals)].get_options(view)]
    assert "commercial" in offered

    page = client.get("/admin/customer/", query_string={f"flt0_{equals}": "commercial"})
    assert "Bistro Ltd" in page.text and "Homeowner Hal" not in page.text
    both = client.get(
        "/admin/customer/", query_string={f"flt0_{in_list}": "commercial,residential"}
    )
    assert "Bistro Ltd" in both.text and "Homeowner Hal" in both.text
    tampered = client.get("/admin/customer/", query_string={f"flt0_{equals}": "zz"})
    assert "Invalid Filter Value" in tampered.text and "Homeowner Hal" in tampered.text


def test_a_day_range_filter_finds_records_by_the_companys_calendar_day(app, client, login_as):
    login_as("admin")
    with app.app_context():
        f.CompanySettingsFactory()
        f.CustomerFactory(name="Made Today")
        today = local_today()
    [view] = [view for view in model_views(app) if view.endpoint == "customer"]
    between = _filter_key(view, "Created At", "between")
    yesterday = today - timedelta(days=1)

    def listed(first, last) -> bool:
        query = {f"flt0_{between}": f"{first.isoformat()} to {last.isoformat()}"}
        return "Made Today" in client.get("/admin/customer/", query_string=query).text

    assert listed(today, today) and listed(yesterday, today)
    assert not listed(yesterday, yesterday)
