"""The demo's stored files: the company logo; for customers with a portal login, a manual for
each unit, the warranty cards of what this contractor installed and photos of leak repairs;
for the portal household, every warranty card (its job today's photos and signed work order
are the product's: app.demo.closeout).

Each distinct file (a model's manual, a photo) is drawn once per block of scale copies and
written to storage for every row that needs it, so a bigger --scale costs file writes, not
drawing.
"""

from collections.abc import Callable
from datetime import datetime

from app.demo.context import Demo
from app.demo.drawings import WarrantyFacts, leak_photo, logo_png, manual_pdf, warranty_pdf
from app.demo.household import portal_household
from app.demo.sites import CustomerRec, UnitRec, by_crew, unit_added
from app.demo.visits import Order
from app.models import Document, WorkOrderPhoto
from app.models.enums import DocumentKind, WorkOrderStatus
from app.storage import save_bytes

PDF, JPEG = ("application/pdf", ".pdf"), ("image/jpeg", ".jpg")


def store_logo(company: str, color: str) -> str:
    """Draw the company's logo and store it; its storage key."""
    initials = "".join(word[0] for word in company.split()[:2]).upper()
    data = logo_png(initials, company, color)
    return save_bytes(
        data, folder="brand", suffix=".png", filename="logo.png", content_type="image/png"
    ).key


class _Files:
    """Drawn files by what they show, and the rows that point at stored copies of them."""

    def __init__(self, demo: Demo, brand: tuple[str, str]) -> None:
        self.demo, self.brand = demo, brand
        self.drawn: dict[tuple, bytes] = {}
        self.documents: list[dict] = []
        self.photos: list[dict] = []

    def _stored(self, key: tuple, draw: Callable[[], bytes], name: str, form) -> dict:
        """A new stored copy of the drawing `key` (drawn the first time), as the columns of
        StoredFileMixin; `form` is PDF or JPEG."""
        if key not in self.drawn:
            self.drawn[key] = draw()
        content_type, suffix = form
        stored = save_bytes(
            self.drawn[key],
            folder="documents" if form is PDF else "work-order-photos",
            suffix=suffix,
            filename=name + suffix,
            content_type=content_type,
        )
        return stored.fields()

    def document(self, kind, title, unit: UnitRec, when: datetime, stored: dict, order=None):
        """A document about `unit` (and `order`) the customer sees in the portal."""
        self.documents.append(
            {
                "kind": kind,
                "title": title,
                "customer_id": unit.customer.id,
                "property_id": unit.site.id,
                "unit_id": unit.id,
                "work_order_id": order.id if order else None,
                "visible_to_customer": True,
                "created_at": when,
                **stored,
            }
        )

    def photo(self, order: Order, caption: str, stored: dict) -> None:
        """A photo on the work order, as its technician took it."""
        self.photos.append(
            {
                "work_order_id": order.id,
                "uploaded_by_id": order.tech.id if order.tech else None,
                "caption": caption,
                "created_at": order.completed_at,
                **stored,
            }
        )

    def manual(self, unit: UnitRec) -> None:
        """The owner's manual of the unit's model."""
        spec = unit.spec
        stored = self._stored(
            ("manual", unit.manufacturer, unit.model_number),
            lambda: manual_pdf(
                unit.manufacturer, unit.model_number, spec.label, spec.interval_months, self.brand
            ),
            f"manual-{unit.model_number}",
            PDF,
        )
        title = f"Owner's manual: {unit.manufacturer} {unit.model_number}"
        self.document(DocumentKind.MANUAL, title, unit, unit_added(self.demo, unit), stored)

    def warranty(self, unit: UnitRec) -> None:
        """The unit's registered warranty card."""
        facts = WarrantyFacts(
            unit.manufacturer,
            unit.model_number,
            unit.serial_number,
            unit.spec.label,
            unit.install_date,
            unit.parts_warranty_end,
            unit.labor_warranty_end,
            unit.customer.name,
            str(unit.site.address).replace("\n", ", "),
        )
        stored = self._stored(
            ("warranty", unit.serial_number),
            lambda: warranty_pdf(facts, self.brand),
            f"warranty-{unit.serial_number}",
            PDF,
        )
        title = f"Warranty card: {unit.name}"
        self.document(DocumentKind.WARRANTY, title, unit, unit_added(self.demo, unit), stored)

    def leak(self, order: Order) -> None:
        """The leak the technician found, photographed before brazing it."""
        caption = f"Leak at the {order.leak_location}, before the repair"
        self.photo(
            order,
            caption,
            self._stored(("leak", caption), lambda: leak_photo(caption), "leak", JPEG),
        )


def write_files(
    demo: Demo, customers: list[CustomerRec], orders: list[Order], brand: tuple[str, str]
) -> None:
    """Documents and work-order photos (with their stored files) for these customers."""
    files = _Files(demo, brand)
    done = [o for o in orders if o.status == WorkOrderStatus.COMPLETED and o.unit is not None]
    installed = {o.unit.id for o in done if o.purpose == "install"}
    households = set(map(portal_household, by_crew(customers)))
    for customer in customers:
        if not customer.portal_logins:
            continue
        for unit in (unit for site in customer.sites for unit in site.units):
            files.manual(unit)
            if unit.id in installed or (
                customer in households and unit.parts_warranty_end >= demo.today
            ):
                files.warranty(unit)
    for order in done:
        if order.leak_location and order.customer.portal_logins:
            files.leak(order)
    demo.writer.insert(Document, files.documents)
    demo.writer.insert(WorkOrderPhoto, files.photos)
