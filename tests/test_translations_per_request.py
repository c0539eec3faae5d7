"""Each request's translations are looked up once and kept for the request, yet a language
switched inside it (an e-mail in its reader's language, the language picker) still applies."""

from flask import render_template_string, session
from flask_babel import force_locale, gettext, refresh

from app.extensions import babel
from app.translations import RequestDomain
from tests.factories import CompanySettingsFactory, UnitFactory


def test_the_app_translates_through_the_per_request_domain(app):
    with app.app_context():
        assert isinstance(babel.domain_instance, RequestDomain)


def test_a_forced_language_inside_a_spanish_request_applies_and_ends(app):
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        assert gettext("Sticker") == "Etiqueta"
        with force_locale("en"):
            assert gettext("Sticker") == "Sticker"
            assert render_template_string("{{ _('Sticker') }}") == "Sticker"
        assert gettext("Sticker") == "Etiqueta"
        assert render_template_string("{{ _('Sticker') }}") == "Etiqueta"


def test_a_language_picked_during_the_request_applies_after_refresh(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert gettext("Sticker") == "Sticker"
        session["lang"] = "es"
        refresh()
        assert gettext("Sticker") == "Etiqueta"


def test_consecutive_requests_each_get_their_own_language(app, client):
    with app.app_context():
        CompanySettingsFactory()
        token = UnitFactory().qr_token
    spanish = client.get(f"/U/{token}", headers={"Accept-Language": "es"}).data.decode()
    english = client.get(f"/U/{token}", headers={"Accept-Language": "en"}).data.decode()
    assert "Etiqueta" in spanish and "Sticker" not in spanish
    assert "Sticker" in english and "Etiqueta" not in english


def test_templates_translate_and_escape_what_they_fill_in(app):
    page = (
        "{{ _('Technician: %(name)s', name=who) }} | "
        "{{ ngettext('%(num)d work order', '%(num)d work orders', count) }}"
    )
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        assert render_template_string(page, who="<b>Ana</b>", count=1) == (
            "Técnico: &lt;b&gt;Ana&lt;/b&gt; | 1 orden de trabajo"
        )
        with force_locale("en"):
            assert render_template_string(page, who="Ana & Bo", count=3) == (
                "Technician: Ana &amp; Bo | 3 work orders"
            )
