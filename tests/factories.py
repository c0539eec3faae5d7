"""factory_boy factories for records. Use inside an app context; each call commits (without
expiring what the session holds)."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.extensions import db
from app.models import (
    ChargeRevision,
    CompanySettings,
    Customer,
    Document,
    Invoice,
    InvoiceLine,
    Message,
    Payment,
    PortalUser,
    Property,
    Quote,
    QuoteLine,
    RefrigerantEvent,
    ServiceRequest,
    StaffUser,
    Unit,
    Visit,
    WorkingHours,
    WorkOrder,
    WorkOrderLine,
)
from app.models.enums import (
    ApplianceType,
    CustomerKind,
    DocumentKind,
    InvoiceStatus,
    MessageDirection,
    PaymentStatus,
    RefrigerantEventKind,
    RequestSource,
    StaffRole,
    UnitKind,
)

# A unit made without an installation date still has its charge for any test's dates.
FIRST_CHARGE_WITHOUT_INSTALL_DATE = date(2000, 1, 1)


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731

    @classmethod
    def _save(cls, model_class, session, args, kwargs):
        """Commit the new row, so a background thread or a served request sees it, without
        expiring the session: the objects stay as a flush leaves them, instead of every one
        the test touches next being loaded again (a query each, across the whole suite)."""
        made = model_class(*args, **kwargs)
        session = session()  # the app context's Session behind the scoped proxy
        session.add(made)
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = True
        return made


class CompanySettingsFactory(Base):
    class Meta:
        model = CompanySettings

    name = "Polar Bear Heating & Air"
    phone = "(555) 010-4242"
    email = "office@polarbear.test"
    address = "100 Industrial Way, Springfield, IL 62701"
    time_zone = "America/Chicago"
    brand_color = "#0b5cad"
    tax_rate_percent = Decimal("8.250")
    currency = "USD"


class StaffUserFactory(Base):
    class Meta:
        model = StaffUser

    email = factory.Sequence(lambda n: f"staff{n}@polarbear.test")
    name = factory.Sequence(lambda n: f"Staff Member {n}")
    role = StaffRole.TECHNICIAN
    epa_certification_number = factory.Sequence(lambda n: f"608-{n:06d}")
    password_hash = factory.LazyFunction(lambda: "")


def technician_working_every_day(name: str) -> StaffUser:
    """A technician who works 7:00–18:00 all week, so every arrival window has room."""
    person = StaffUserFactory(name=name)
    db.session.add_all(
        WorkingHours(technician=person, weekday=day, starts=time(7), ends=time(18))
        for day in range(7)
    )
    db.session.commit()
    return person


class CustomerFactory(Base):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    kind = CustomerKind.RESIDENTIAL
    email = factory.Sequence(lambda n: f"customer{n}@example.test")
    phone = "(555) 555-0100"
    billing_address = "1 Billing St, Springfield, IL 62701"


class PropertyFactory(Base):
    class Meta:
        model = Property

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Property {n}")
    address_line1 = factory.Sequence(lambda n: f"{100 + n} Elm Street")
    city = "Springfield"
    state = "IL"
    postal_code = "62701"


class UnitFactory(Base):
    class Meta:
        model = Unit

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = UnitKind.AIR_CONDITIONER
    manufacturer = "Carrier"
    model_number = "24ACC636A003"
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    install_date = date(2021, 5, 1)
    parts_warranty_end = date(2031, 5, 1)
    labor_warranty_end = date(2023, 5, 1)
    refrigerant_type = "R-410A"
    full_charge_lb = Decimal("9.50")

    class Params:
        # The 80 lb R-404A walk-in the refrigerant tests share: commercial refrigeration under
        # Part 84, a 20% leak-rate limit.
        walk_in = factory.Trait(
            refrigerant_type="R-404A",
            full_charge_lb=Decimal("80"),
            epa_appliance_type=ApplianceType.COMMERCIAL_REFRIGERATION,
        )

    @factory.post_generation
    def charge_history(unit, create, extracted, **kwargs):  # noqa: N805  (factory_boy's form)
        """The full charge as the services keep it: its first revision, from the installation."""
        if create and unit.full_charge_lb:
            db.session.add(
                ChargeRevision(
                    unit=unit,
                    effective_on=unit.install_date or FIRST_CHARGE_WITHOUT_INSTALL_DATE,
                    full_charge_lb=unit.full_charge_lb,
                    method=unit.charge_method,
                )
            )
            db.session.commit()


class PortalUserFactory(Base):
    class Meta:
        model = PortalUser

    customer = factory.SubFactory(CustomerFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    name = factory.Sequence(lambda n: f"Portal Person {n}")


class WorkOrderFactory(Base):
    class Meta:
        model = WorkOrder

    property = factory.SubFactory(PropertyFactory)
    customer = factory.SelfAttribute("property.customer")
    summary = "No cooling upstairs"
    # Its first visit's arrival window (None: no visit); the window is two hours unless
    # `visit_until` says otherwise, led by the work order's technician.
    visit_at = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(days=1))
    visit_until = None

    @classmethod
    def _create(cls, model_class, *args, visit_at=None, visit_until=None, **kwargs):
        work_order = super()._create(model_class, *args, **kwargs)
        if visit_at is not None:
            VisitFactory(
                work_order=work_order,
                lead_technician=work_order.technician,
                arrival_start=visit_at,
                arrival_end=visit_until or visit_at + timedelta(hours=2),
            )
            db.session.refresh(work_order)
        return work_order


class VisitFactory(Base):
    class Meta:
        model = Visit

    work_order = factory.SubFactory(WorkOrderFactory, visit_at=None)
    arrival_start = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(days=1))
    arrival_end = factory.LazyAttribute(lambda v: v.arrival_start + timedelta(hours=2))
    duration_minutes = 60


class WorkOrderLineFactory(Base):
    class Meta:
        model = WorkOrderLine

    work_order = factory.SubFactory(WorkOrderFactory)
    description = "Diagnostic visit"
    quantity = Decimal("1")
    unit_price_cents = 8900


class ServiceRequestFactory(Base):
    class Meta:
        model = ServiceRequest

    source = RequestSource.QR
    unit = factory.SubFactory(UnitFactory)
    property = factory.SelfAttribute("unit.property")
    customer = factory.SelfAttribute("unit.property.customer")
    contact_name = "Pat Caller"
    contact_phone = "(555) 555-0199"
    description = "Making a grinding noise"


class QuoteFactory(Base):
    class Meta:
        model = Quote

    customer = factory.SubFactory(CustomerFactory)
    title = "Replace condenser fan motor"


class QuoteLineFactory(Base):
    class Meta:
        model = QuoteLine

    quote = factory.SubFactory(QuoteFactory)
    position = factory.Sequence(lambda n: n)
    description = "Condenser fan motor"
    quantity = Decimal("1")
    unit_price_cents = 42500


class InvoiceFactory(Base):
    class Meta:
        model = Invoice

    customer = factory.SubFactory(CustomerFactory)
    status = InvoiceStatus.OPEN
    issued_on = factory.LazyFunction(lambda: date.today() - timedelta(days=10))
    due_on = factory.LazyFunction(lambda: date.today() + timedelta(days=20))
    subtotal_cents = 10000
    tax_cents = 825
    total_cents = 10825


class InvoiceLineFactory(Base):
    class Meta:
        model = InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    description = "Labor"
    quantity = Decimal("2")
    unit_price_cents = 5000


class PaymentFactory(Base):
    class Meta:
        model = Payment

    invoice = factory.SubFactory(InvoiceFactory)
    customer = factory.SelfAttribute("invoice.customer")
    amount_cents = 10825
    status = PaymentStatus.SUCCEEDED
    received_at = factory.LazyFunction(lambda: datetime.now(UTC))


class MessageFactory(Base):
    class Meta:
        model = Message

    customer = factory.SubFactory(CustomerFactory)
    direction = MessageDirection.FROM_CUSTOMER
    body = "Can someone come Tuesday?"


class DocumentFactory(Base):
    class Meta:
        model = Document

    customer = factory.SubFactory(CustomerFactory)
    kind = DocumentKind.MANUAL
    title = "Owner's manual"
    storage_key = factory.Sequence(lambda n: f"documents/test-{n}.pdf")
    filename = "manual.pdf"
    content_type = "application/pdf"
    size_bytes = 1234


class RefrigerantEventFactory(Base):
    class Meta:
        model = RefrigerantEvent

    unit = factory.SubFactory(UnitFactory)
    kind = RefrigerantEventKind.ADDITION
    occurred_at = factory.LazyFunction(lambda: datetime.now(UTC) - timedelta(days=3))
    refrigerant_type = "R-410A"
    pounds_added = Decimal("1.50")
