"""Writing the planned work orders: the orders, their lines and notes, and refrigerant records."""

from datetime import datetime, timedelta
from decimal import Decimal

from app.demo.context import Demo
from app.demo.pricebook import Line
from app.demo.visits import Order
from app.models import RefrigerantEvent, WorkOrder, WorkOrderLine, WorkOrderNote
from app.models.enums import ApplianceType, RefrigerantEventKind, WorkOrderStatus

# Systems this size or larger get leak inspections on every visit, whatever their use.
LEAK_INSPECTED_FROM_LB = Decimal(50)


def write_orders(demo: Demo, orders: list[Order]) -> None:
    """Insert the work orders (numbered in the order given) and everything hanging off them."""
    writer = demo.writer
    numbers = writer.numbers(WorkOrder.NUMBER_PREFIX, len(orders))
    rows = [_order_row(order, number) for order, number in zip(orders, numbers, strict=True)]
    ids = writer.insert_returning_ids(WorkOrder, rows)
    for order, order_id, number in zip(orders, ids, numbers, strict=True):
        order.id, order.number = order_id, number
    lines = [
        line_row(line, position, work_order_id=order.id)
        for order in orders
        for position, line in enumerate(order.lines, start=1)
    ]
    line_ids = iter(writer.insert_returning_ids(WorkOrderLine, lines))
    for order in orders:
        order.line_ids = [next(line_ids) for _ in order.lines]
    writer.insert(WorkOrderNote, [_note_row(demo, order) for order in orders if order.note])
    events = [event for order in orders for event in _refrigerant_events(demo, order)]
    writer.insert(RefrigerantEvent, events)


def line_row(line: Line, position: int, **owner: int) -> dict:
    """A line-item row for a work order, quote or invoice (`owner` names the parent's id)."""
    return {
        **owner,
        "position": position,
        "kind": line.kind,
        "description": line.description,
        "quantity": line.quantity,
        "unit_price_cents": line.unit_price_cents,
    }


def _order_row(order: Order, number: str) -> dict:
    done = order.status == WorkOrderStatus.COMPLETED
    return {
        "number": number,
        "customer_id": order.customer.id,
        "property_id": order.site.id,
        "unit_id": order.unit.id if order.unit else None,
        "service_request_id": order.service_request_id,
        "technician_id": order.tech.id if order.tech else None,
        "status": order.status,
        "priority": order.priority,
        "summary": order.summary,
        "description": order.description,
        "completed_at": order.completed_at,
        "signed_off_by": order.signed_off_by if done else "",
        "signed_off_at": order.completed_at if done else None,
        "created_at": order.created_at,
    }


def _note_row(demo: Demo, order: Order) -> dict:
    written = order.completed_at or min(order.start or demo.now, demo.now)
    return {
        "work_order_id": order.id,
        "author_id": order.tech.id if order.tech else None,
        "body": order.note,
        "visible_to_customer": order.note_public,
        "created_at": written,
    }


def _refrigerant_events(demo: Demo, order: Order) -> list[dict]:
    """What a technician logs on a finished visit: a leak inspection on tracked systems; for a
    leak, the inspection, the repair, the charge added and (tracked systems) verification tests."""
    unit, tech, finished = order.unit, order.tech, order.completed_at
    if unit is None or tech is None or finished is None or not unit.refrigerant:
        return []
    tracked = (
        unit.spec.appliance == ApplianceType.COMMERCIAL_REFRIGERATION
        or (unit.full_charge_lb or 0) >= LEAK_INSPECTED_FROM_LB
    )

    def event(kind: RefrigerantEventKind, when: datetime, **facts) -> dict:
        return {
            "unit_id": unit.id,
            "work_order_id": order.id,
            "technician_id": tech.id,
            "kind": kind,
            "occurred_at": when,
            "refrigerant_type": unit.refrigerant,
            "pounds_added": facts.get("pounds_added", Decimal(0)),
            "pounds_removed": Decimal(0),
            "certification_number": tech.certification,
            "leak_found": facts.get("leak_found"),
            "leak_location": facts.get("leak_location", ""),
            "test_passed": facts.get("test_passed"),
            "notes": facts.get("notes", ""),
            "created_at": when,
        }

    if not order.leak_location:
        if order.purpose != "maintenance" or not tracked:
            return []
        return [event(RefrigerantEventKind.LEAK_INSPECTION, finished, leak_found=False)]
    found = finished - timedelta(minutes=150)
    where = order.leak_location
    events = [
        event(RefrigerantEventKind.LEAK_INSPECTION, found, leak_found=True, leak_location=where),
        event(RefrigerantEventKind.REPAIR, found + timedelta(minutes=60), leak_location=where),
        event(
            RefrigerantEventKind.ADDITION,
            finished - timedelta(minutes=20),
            pounds_added=order.pounds_added,
        ),
    ]
    if tracked:
        checks = [
            (
                RefrigerantEventKind.INITIAL_VERIFICATION,
                finished - timedelta(minutes=10),
                "Initial verification test: pressure held.",
            ),
            (
                RefrigerantEventKind.FOLLOWUP_VERIFICATION,
                finished + timedelta(days=demo.rng.randint(7, 10)),
                "Follow-up verification test.",
            ),
        ]
        events += [
            event(kind, when, test_passed=True, notes=notes)
            for kind, when, notes in checks
            if when < demo.now
        ]
    return events
