"""Writing the visits of the planned work orders, and the technicians' hours and time off.

The board shows a week of visits in every status: done and cancelled behind, on site and on
the way today (with an arrival estimate), confirmed, scheduled and one tentative (booked from a
sticker, to confirm) ahead, and one trip where nobody let the technician in.
The customers' answers to the visit e-mails are there too: each confirmed visit ahead was
confirmed from its e-mail's link, and the cancelled trip was cancelled from one, with a reason.
"""

import hashlib
from datetime import time, timedelta

from app.demo.accounts import Tech
from app.demo.context import Demo
from app.demo.visits import Order
from app.models import TimeOff, Visit, VisitAnswerLink, VisitStatusChange, WorkingHours
from app.models.enums import VisitAnswer, VisitStatus
from app.models.enums import WorkOrderStatus as Status
from app.models.scheduling import new_calendar_uid

WEEKDAY_HOURS = (time(7, 30), time(17))
WEEKEND_ON_CALL = (time(8), time(14))  # the first technician of each crew
VISIT_STATUS_OF = {
    Status.COMPLETED: VisitStatus.DONE,
    Status.ON_HOLD: VisitStatus.DONE,  # the diagnosis visit; the part is on order
    Status.CANCELLED: VisitStatus.CANCELLED,
    Status.IN_PROGRESS: VisitStatus.ON_SITE,
}
CONFIRMED_WITHIN = timedelta(days=4)  # customers confirm visits booked in the next few days
MOVED_REASON = "We will be away that day; the next morning suits us better."
ETA = timedelta(minutes=25)  # what the technicians on the way said when they set off


def write_hours(demo: Demo, crews: list[list[Tech]]) -> None:
    """Every technician works weekdays; each crew's first is on call weekend mornings; one
    technician per crew is away two days next week."""
    rows, away = [], []
    for crew in crews:
        for position, tech in enumerate(crew):
            days = range(7) if position == 0 else range(5)
            for weekday in days:
                starts, ends = WEEKEND_ON_CALL if weekday >= 5 else WEEKDAY_HOURS
                rows.append(
                    {"technician_id": tech.id, "weekday": weekday, "starts": starts, "ends": ends}
                )
        if len(crew) > 1:
            first = demo.today + timedelta(days=7 - demo.today.weekday() + 2)  # next Wednesday
            away.append(
                {
                    "technician_id": crew[-1].id,
                    "starts_at": demo.at(first, 0),
                    "ends_at": demo.at(first + timedelta(days=2), 0),
                    "reason": "Refrigeration training",
                    "created_at": demo.now,
                }
            )
    demo.writer.insert(WorkingHours, rows)
    demo.writer.insert(TimeOff, away)


def _status(demo: Demo, order: Order) -> VisitStatus:
    if order.status in VISIT_STATUS_OF:
        return VISIT_STATUS_OF[order.status]
    return VisitStatus.EN_ROUTE if order.start <= demo.now else VisitStatus.SCHEDULED


def _visit_row(demo: Demo, order: Order, start, status: VisitStatus) -> dict:
    changed = order.completed_at if status == VisitStatus.DONE else min(start, demo.now)
    if status == VisitStatus.CANCELLED:
        changed = min(order.created_at + timedelta(hours=2), demo.now)
    return {
        "work_order_id": order.id,
        "lead_technician_id": order.tech.id if order.tech else None,
        "arrival_start": start,
        "arrival_end": start + timedelta(hours=2),
        "duration_minutes": 90 if order.purpose == "repair" else 60,
        "status": status,
        "status_changed_at": changed or min(start, demo.now),
        "calendar_uid": new_calendar_uid(),
        "calendar_sequence": 0,
        "notes": "",
        "created_at": order.created_at,
        "expected_arrival_at": demo.now + ETA if status == VisitStatus.EN_ROUTE else None,
    }


def write_visits(demo: Demo, orders: list[Order]) -> None:
    """A visit for each order with a time. Of the visits ahead, every other one in the next
    few days is confirmed (from its e-mail's link); the first of them was first booked a day
    earlier and cancelled from the link (the customer moved it); the first finished job of the
    past week had an earlier trip where nobody was home."""
    rows, upcoming, no_access_done = [], 0, False
    answered: dict[int, tuple[VisitAnswer, str]] = {}  # row index: the customer's answer
    for order in (o for o in orders if o.start is not None):
        status = _status(demo, order)
        if status == VisitStatus.SCHEDULED and order.start - demo.now < CONFIRMED_WITHIN:
            if upcoming == 0:
                earlier = order.start - timedelta(days=1)
                moved = _visit_row(demo, order, earlier, VisitStatus.CANCELLED)
                # Cancelled from the e-mail yesterday: the dashboard's answers show it.
                moved["status_changed_at"] = max(
                    moved["status_changed_at"], demo.now - timedelta(days=1)
                )
                answered[len(rows)] = (VisitAnswer.CANCEL, MOVED_REASON)
                rows.append(moved)
            status = VisitStatus.CONFIRMED if upcoming % 2 == 0 else status
            if upcoming == 1:  # booked from a sticker, waiting on the board for Confirm
                status = VisitStatus.TENTATIVE
            upcoming += 1
        recent = timedelta(0) < demo.now - order.start < timedelta(days=7)
        if not no_access_done and status == VisitStatus.DONE and recent and order.tech:
            earlier = order.start - timedelta(days=1)
            rows.append(_visit_row(demo, order, earlier, VisitStatus.NO_ACCESS))
            no_access_done = True
        if status == VisitStatus.CONFIRMED:
            answered[len(rows)] = (VisitAnswer.CONFIRM, "")
        rows.append(_visit_row(demo, order, order.start, status))
    ids = demo.writer.insert_returning_ids(Visit, rows)
    demo.writer.insert(
        VisitStatusChange,
        [
            {"visit_id": visit_id, "status": row["status"], "changed_at": row["status_changed_at"]}
            for visit_id, row in zip(ids, rows, strict=True)
        ],
    )
    demo.writer.insert(VisitAnswerLink, _answers(demo, ids, rows, answered))


def _answers(
    demo: Demo, ids: list[int], rows: list[dict], answered: dict[int, tuple[VisitAnswer, str]]
) -> list[dict]:
    """A used link per answered visit, the confirmations over the last few days. The tokens
    were never sent, so only made-up hashes exist."""
    answers = []
    for index, (purpose, reason) in answered.items():
        row, visit_id = rows[index], ids[index]
        if purpose == VisitAnswer.CANCEL:
            used = row["status_changed_at"]
        else:
            used = demo.now - timedelta(hours=3 + 7 * len(answers))
        answers.append(
            {
                "visit_id": visit_id,
                "purpose": purpose,
                "token_hash": hashlib.sha256(f"demo answer {visit_id}".encode()).hexdigest(),
                "expires_at": row["arrival_end"],
                "used_at": used,
                "reason": reason,
                "created_at": min(row["created_at"], used),
            }
        )
    return answers
