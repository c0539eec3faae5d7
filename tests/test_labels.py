"""Every stored vocabulary has words for people, in English and Spanish, and chips by tone."""

from decimal import Decimal
from enum import StrEnum

import pytest
from flask_babel import force_locale, get_translations

import app.models.card_payments as card_payments
import app.models.enums as enums
import app.models.outbox as outbox
from app.extensions import db
from app.labels import LABELS, STATE_LABELS, badge, label
from app.models import ChargeRevision, RefrigerantEvent, ServiceRequest
from app.models.enums import (
    EpisodeStatus,
    InvoiceStatus,
    PaymentMethod,
    QuoteStatus,
    RefrigerantEventKind,
    UnitKind,
    WorkOrderStatus,
)
from app.services.full_charge import ChargeError, add_revision
from app.services.records import OwnershipError, link_owners
from app.services.refrigerant import EventError, validate_event
from tests.factories import PropertyFactory, UnitFactory


def _stored_vocabularies() -> list[type[StrEnum]]:
    found = []
    for module in (enums, card_payments, outbox):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum:
                found.append(value)
    return found


@pytest.mark.parametrize("enum_class", _stored_vocabularies(), ids=lambda c: c.__name__)
def test_every_member_of_every_stored_enum_has_words_in_both_languages(app, enum_class):
    assert enum_class in LABELS, f"{enum_class.__name__} has no labels in app/labels.py"
    with app.test_request_context():
        for member in enum_class:
            assert member in LABELS[enum_class], f"{member!r} has no label"
            english = label(member)
            assert "_" not in english and english[0].isupper(), english
            with force_locale("es"):
                spanish = get_translations()._catalog.get(english)
            assert spanish, f"{member!r}: {english!r} has no Spanish entry"


def test_the_same_value_in_two_vocabularies_keeps_its_own_words_and_colour(app):
    """StrEnum members equal their value: `open` is an invoice waiting for money and a leak
    whose repair is due; each must keep its own label and tone."""
    with app.test_request_context():
        assert label(InvoiceStatus.OPEN) == "Open"
        assert label(EpisodeStatus.OPEN) == "Repair due"
        assert "badge-warning" in badge(InvoiceStatus.OPEN)
        assert "badge-danger" in badge(EpisodeStatus.OPEN)


def test_labels_follow_the_language_they_are_read_in(app):
    with app.test_request_context():
        with force_locale("es"):
            assert label(WorkOrderStatus.IN_PROGRESS) == "En curso"
            assert label(UnitKind.AIR_CONDITIONER) == "Aire acondicionado"
            assert label(PaymentMethod.ACH) == "Transferencia bancaria"
            assert label(RefrigerantEventKind.LEAK_INSPECTION) == "Inspección de fugas"
            assert label("overdue") == "Vencida"
        assert label(WorkOrderStatus.IN_PROGRESS) == "In progress"
        assert label(None) == ""


def test_computed_states_have_words(app):
    with app.test_request_context():
        for state in STATE_LABELS:
            assert "_" not in label(state)
        assert label("due_soon") == "Due soon"


def test_a_badge_is_a_chip_coloured_by_tone_with_escaped_words(app):
    with app.test_request_context():
        paid = badge(InvoiceStatus.PAID)
        assert paid == '<span class="badge badge-success chip chip-good">Paid</span>'
        assert "chip-bad" in badge("overdue")
        assert "chip-neutral" in badge(UnitKind.BOILER)
        assert badge(None) == ""


def test_the_customer_reads_a_sent_quote_as_waiting_for_their_decision(app):
    with app.test_request_context():
        assert label(QuoteStatus.SENT) == "Sent"
        assert label(QuoteStatus.SENT, customer=True) == "Waiting for your decision"
        assert "Waiting for your decision" in badge(QuoteStatus.SENT, customer=True)
        assert label(QuoteStatus.APPROVED, customer=True) == "Approved"


def test_the_filters_are_registered_for_templates(app):
    with app.test_request_context():
        template = app.jinja_env.from_string("{{ s|label }} {{ s|badge }}")
        with force_locale("es"):
            html = template.render(s=WorkOrderStatus.COMPLETED)
    assert html.startswith("Completada ")
    assert 'class="badge badge-success chip chip-good">Completada</span>' in html


def test_staff_facing_service_errors_read_in_the_staff_members_language(app):
    """The charge, records, refrigerant and sticker services explain in Spanish too."""
    with app.test_request_context():
        unit = UnitFactory(name="RTU-1")
        other_property = PropertyFactory(name="Warehouse")
        mismatched = ServiceRequest(unit=unit, property=other_property)
        problems = {}
        for language in ("en", "es"):
            with force_locale(language):
                with pytest.raises(ChargeError) as charge:
                    add_revision(ChargeRevision(unit=unit, effective_on=None), actor=None)
                with pytest.raises(OwnershipError) as ownership:
                    link_owners(mismatched)
                with pytest.raises(EventError) as event:
                    validate_event(unit, RefrigerantEvent(unit=unit, pounds_added=Decimal("-1")))
                problems[language] = (str(charge.value), str(ownership.value), str(event.value))
        db.session.rollback()
    assert problems["en"] == (
        "Enter the day the full charge applies from.",
        "Unit “RTU-1” is not at property “Warehouse”.",
        "Pounds cannot be negative.",
    )
    assert problems["es"] == (
        "Indique desde qué día rige la carga completa.",
        "El equipo “RTU-1” no está en la propiedad “Warehouse”.",
        "Las libras no pueden ser negativas.",
    )
