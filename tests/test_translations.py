"""The Spanish translation is complete, compiled and safe to format.

A string added to the code or a template without a Spanish translation fails here, with the
list of what is missing. To fix it (see the README's "Translations" section):

    .venv/bin/pybabel extract -F babel.cfg -k _l -k _gettext -k lazy_gettext \
        --ignore-dirs=".venv tests" -o translations/messages.pot .
    .venv/bin/pybabel update -d translations -i translations/messages.pot
    (translate the new entries in translations/es/LC_MESSAGES/messages.po)
    .venv/bin/pybabel compile -d translations
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.factories import UnitFactory

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
ES_PO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
ES_MO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.mo"

# The same command as in babel.cfg and the README.
EXTRACT_ARGS = [
    "extract",
    "-F",
    "babel.cfg",
    "-k",
    "_l",
    "-k",
    "_gettext",
    "-k",
    "lazy_gettext",
    "--ignore-dirs=.venv tests",
    "--no-location",
    "--omit-header",
]

# %(name)s, %(num)d, %(threshold).1f ...
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


class _AnyValue(dict):
    """A mapping with every key, to try `msg % mapping` the way templates format strings."""

    def __missing__(self, key):
        return 1


def _forms(value) -> tuple[str, ...]:
    """msgid/msgstr as a tuple: one item, or one per plural form."""
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _key(message):
    return message.id if isinstance(message.id, str) else tuple(message.id)


def _read_po():
    with ES_PO.open("rb") as f:
        return read_po(f, locale="es")


def _entries(catalog):
    return [message for message in catalog if message.id]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What the code and templates mark for translation right now."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    result = subprocess.run(  # noqa: S603 (fixed arguments, our own interpreter)
        [sys.executable, "-m", "babel.messages.frontend", *EXTRACT_ARGS, "-o", str(pot), "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with pot.open("rb") as f:
        return read_po(f)


def test_every_extracted_string_has_a_spanish_translation(extracted):
    catalog = _read_po()
    missing = []
    for message in _entries(extracted):
        translated = catalog.get(message.id)
        if (
            translated is None
            or translated.fuzzy
            or not all(s.strip() for s in _forms(translated.string))
        ):
            missing.append(message.id)
    assert len(_entries(extracted)) > 100  # the extraction found the app's strings
    assert not missing, (
        f"{len(missing)} string(s) have no Spanish translation; run pybabel extract/update, "
        "translate them in translations/es/LC_MESSAGES/messages.po and run pybabel compile:\n"
        + "\n".join(f"  {msgid!r}" for msgid in missing)
    )


def test_the_spanish_catalog_has_no_fuzzy_or_empty_entries():
    catalog = _read_po()
    assert not catalog.fuzzy
    bad = [
        m.id for m in _entries(catalog) if m.fuzzy or not all(s.strip() for s in _forms(m.string))
    ]
    assert not bad, bad
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"


def test_the_compiled_mo_matches_the_po():
    po = {_key(m): _forms(m.string) for m in _entries(_read_po())}
    with ES_MO.open("rb") as f:
        mo = {_key(m): _forms(m.string) for m in _entries(read_mo(f))}
    stale = sorted(str(key) for key in po.keys() ^ mo.keys())
    stale += sorted(str(key) for key in po.keys() & mo.keys() if po[key] != mo[key])
    assert not stale, (
        "messages.mo is out of date with messages.po; run pybabel compile -d translations:\n"
        + "\n".join(f"  {key}" for key in stale)
    )


def test_translations_keep_the_placeholders_and_still_format():
    problems = []
    for message in _entries(_read_po()):
        ids = _forms(message.id)
        strings = _forms(message.string)
        if len(ids) > 1:  # plural: msgstr[0] pairs with msgid, the other forms with msgid_plural
            ids = (ids[0],) + (ids[-1],) * (len(strings) - 1)
        for msgid, msgstr in zip(ids, strings, strict=True):
            expected = set(PLACEHOLDER.findall(msgid))
            found = set(PLACEHOLDER.findall(msgstr))
            if expected != found:
                problems.append(f"{msgid!r}: placeholders {sorted(found)} != {sorted(expected)}")
                continue
            full_expected = sorted(m.group(0) for m in PLACEHOLDER.finditer(msgid))
            full_found = sorted(m.group(0) for m in PLACEHOLDER.finditer(msgstr))
            if full_expected != full_found:
                problems.append(f"{msgid!r}: {full_found} != {full_expected}")
                continue
            # Templates always apply `%` (%% for a literal percent sign): if the English
            # string survives that, the Spanish one must too.
            try:
                msgid % _AnyValue()
            except (TypeError, ValueError, KeyError):
                continue
            try:
                msgstr % _AnyValue()
            except (TypeError, ValueError, KeyError) as error:
                problems.append(f"{msgstr!r} cannot be formatted: {error}")
    assert not problems, "\n".join(problems)


def test_the_portal_sign_in_page_is_in_spanish(client):
    page = client.get("/portal/login", headers={"Accept-Language": "es"}).data.decode()
    assert 'lang="es"' in page
    assert "Inicie sesión en su portal de servicio" in page
    assert "Enviarme un enlace para iniciar sesión" in page
    assert "Sign in to your service portal" not in page


def test_the_portal_sign_in_page_stays_english_by_default(client):
    page = client.get("/portal/login", headers={"Accept-Language": "en-US"}).data.decode()
    assert "Sign in to your service portal" in page


def test_the_public_sticker_request_page_is_in_spanish(app, client):
    with app.app_context():
        token = UnitFactory().qr_token
    response = client.get(f"/u/{token}", headers={"Accept-Language": "es-US,es;q=0.9"})
    assert response.status_code == 200
    page = response.data.decode()
    assert 'lang="es"' in page
    assert "Solicite servicio para esta unidad" in page
    assert "Su nombre" in page  # a form label (lazy string in the form class)
    assert "Mañana (8–12)" in page  # a choice of the time-window select
    assert "Enviar solicitud" in page
    assert "Request service for this unit" not in page


def test_the_staff_pages_of_our_own_are_in_spanish(client, login_as):
    """Our admin templates' words come from the app's catalogue (Flask-Admin's `_gettext` only
    reads Flask-Admin's own, so they showed in English to a Spanish-reading technician)."""
    login_as("technician")
    page = client.get("/admin/my-day/", headers={"Accept-Language": "es"}).data.decode()
    assert "Mi día" in page and "Día siguiente" in page
    assert "Next day" not in page
