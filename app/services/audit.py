"""The audit trail: one row per change someone made, written in the caller's transaction."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum

from flask import has_request_context, request
from sqlalchemy import inspect
from sqlalchemy.orm import RelationshipDirection

from app.extensions import db
from app.models import AuditEvent
from app.models.base import utcnow
from app.models.enums import ActorKind


@dataclass(frozen=True)
class SystemActor:
    """Something other than a person acting, such as Stripe's webhook."""

    label: str


def _actor_fields(actor) -> dict:
    if isinstance(actor, SystemActor):
        return {"actor_kind": ActorKind.SYSTEM, "actor_id": None, "actor_label": actor.label}
    if actor is None:
        return {"actor_kind": ActorKind.PUBLIC, "actor_id": None, "actor_label": ""}
    kind = ActorKind.STAFF if getattr(actor, "is_staff", False) else ActorKind.PORTAL
    return {"actor_kind": kind, "actor_id": actor.id, "actor_label": actor.email}


# Never copied into the audit trail.
SECRET_FIELDS = {"password_hash"}


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime | time | Decimal):
        return str(value)
    return value


def changes_of(obj) -> dict:
    """The columns changed on `obj` since it was loaded, as {name: [old, new]} (before a flush)."""
    state = inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if attr.key in SECRET_FIELDS or not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        changes[attr.key] = [_plain(old), _plain(new)]
    return changes


def changes_of_record(obj) -> dict:
    """`changes_of(obj)` plus the rows hanging off it that are changing with it (line items
    edited inline): `lines[12].quantity: [old, new]`, `lines[12]: [{...}, None]` for a removed
    row and `lines[new 1]: [None, {...}]` for an added one."""
    changes = changes_of(obj)
    state = inspect(obj)
    session = state.session
    for relationship in state.mapper.relationships:
        if relationship.direction is not RelationshipDirection.ONETOMANY:
            continue
        if not relationship.uselist or relationship.key not in state.dict:
            continue  # never loaded, so nothing was changed through it
        history = state.attrs[relationship.key].history
        for n, child in enumerate(history.added, start=1):
            changes[f"{relationship.key}[new {n}]"] = [None, _columns_of(child)]
        for child in (*history.unchanged, *history.deleted):
            name = f"{relationship.key}[{child.id}]"
            if child in history.deleted or (session is not None and child in session.deleted):
                changes[name] = [_columns_of(child), None]
            else:
                changes.update({f"{name}.{k}": v for k, v in changes_of(child).items()})
    return changes


def _columns_of(obj) -> dict:
    columns = inspect(obj).mapper.column_attrs
    return {
        c.key: _plain(getattr(obj, c.key))
        for c in columns
        if c.key != "id" and c.key not in SECRET_FIELDS and getattr(obj, c.key) is not None
    }


def client_address() -> str:
    """The requesting client's address, or "" outside a request."""
    return (request.remote_addr or "") if has_request_context() else ""


def record(
    action: str,
    obj,
    *,
    actor,
    summary: str = "",
    changes: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Add an audit event for `action` on `obj` (flushes nothing; the caller commits)."""
    event = AuditEvent(
        occurred_at=utcnow(),
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        summary=(summary or str(obj))[:300],
        changes=changes or {},
        ip_address=client_address() if ip_address is None else ip_address,
        **_actor_fields(actor),
    )
    db.session.add(event)
    return event
