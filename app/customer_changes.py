"""Moving `customers.portal_version` whenever something a customer's portal shows is written.

A portal page kept rendered for a customer (portal/kept_pages.py) is current while their
`portal_version` has not moved since. So every write to a row that belongs to a customer moves
it, in the same transaction as the write: a page rendered from rows older than the commit was
kept under the version from before it, which no later request matches.

Which customer a row belongs to comes from the schema, not from a list kept by hand: a table
whose foreign keys lead to `customers` (directly, as `work_orders.customer_id`, or through
others, as `visits` → `work_orders` → `customers`) belongs to the customer at the end of that
path, so a new table is covered the day it is added. Tables with no such path (staff, the price
book, the company's settings, the outbox) belong to no customer; a portal page that shows
something of theirs (a technician's name) is kept for a few seconds at most.

Seen: every flushed insert, update and delete (a row moved to another customer moves both), and
UPDATE and DELETE statements run through the session (their rows read before they run). Not
seen: SQL run on a connection of its own, and INSERT statements run through the session without
objects (the app has none; the demo seed writes its rows so before anyone has a page). On a
connection in autocommit (a portal page that only shows, app/transactions.py) each write stands
at once, so the version moves at once.
"""

from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from sqlalchemy import Column, Select, Table, event, inspect, select, update
from sqlalchemy.orm import Session

from app.extensions import db

_NOTED = "customers_changed"  # on the session: the customers its open transaction changed
_EVERY_CUSTOMER = "every"
_IN_BATCH = 500  # ids per IN (...): far below either database's limit on parameters


def _customers() -> Table:
    return db.metadata.tables["customers"]


@cache
def _distances() -> dict[str, int]:
    """How many foreign-key hops each table with a path to `customers` is from it, by name."""
    distance = {"customers": 0}
    changed = True
    while changed:
        changed = False
        for table in db.metadata.tables.values():
            parents = (fk.column.table.name for fk in table.foreign_keys)
            hops = [distance[parent] for parent in parents if parent in distance]
            if hops and distance.get(table.name, len(db.metadata.tables)) > 1 + min(hops):
                distance[table.name] = 1 + min(hops)
                changed = True
    return distance


def _parent(column: Column) -> Column:
    return next(iter(column.foreign_keys)).column


@cache
def _steps(table_name: str) -> tuple[Column, ...]:
    """The foreign-key columns a row of the table is traced to its customer through: the one
    naming a customer when it has one, else every one naming a row with a path (a work-order
    photo's work order and its quote). Empty for tables with no path, and for `customers`."""
    if table_name == "customers" or table_name not in _distances():
        return ()
    table = db.metadata.tables[table_name]
    leading = [fk.parent for fk in table.foreign_keys if fk.column.table.name in _distances()]
    direct = [column for column in leading if _parent(column).table.name == "customers"]
    return tuple(sorted(direct or leading, key=lambda column: column.name))


def _belongs_to_customers(table_name: str) -> bool:
    return table_name in _distances()


@cache
def _customer_of(table_name: str) -> tuple[Select, Column]:
    """SELECT of the customer id of the table's rows, along its shortest path, and the column
    that picks the rows."""
    table = db.metadata.tables[table_name]
    if table_name == "customers":
        return select(table.c.id), table.c.id
    joined, here = table, table_name
    while True:
        column = min(_steps(here), key=lambda c: _distances()[_parent(c).table.name])
        parent = _parent(column)
        if parent.table.name == "customers":
            return select(column).select_from(joined), table.c.id
        joined = joined.join(parent.table, column == parent)
        here = parent.table.name


def _customer_ids(connection, table_name: str, ids: Iterable[int]) -> set[int]:
    if table_name == "customers":
        return set(ids)
    statement, by = _customer_of(table_name)
    found = set()
    for batch in _batches(ids):
        found.update(connection.scalars(statement.where(by.in_(batch))))
    found.discard(None)
    return found


def _batches(ids: Iterable[int]) -> Iterable[list[int]]:
    """The ids in order, `_IN_BATCH` at a time."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), _IN_BATCH):
        yield ids[start : start + _IN_BATCH]


def _parent_ids(instance) -> dict[str, set[int]]:
    """The rows `instance` leads to on its way to a customer, by table name: what its
    foreign-key columns hold now and, when changed, held before. A customer leads to itself."""
    state = inspect(instance)
    table_name = state.mapper.local_table.name
    if table_name == "customers":
        return {"customers": {state.identity[0]}} if state.identity else {}
    found = defaultdict(set)
    for column in _steps(table_name):
        key = state.mapper.get_property_by_column(column).key
        history = state.attrs[key].history
        values = (*history.added, *history.unchanged, *history.deleted)
        if not values:
            values = (getattr(instance, key),)  # not loaded: load it (its row still exists)
        found[_parent(column).table.name].update(value for value in values if value is not None)
    return found


def _note_rows(session: Session, instances) -> None:
    """Note the customers of these flushed rows."""
    by_table = defaultdict(set)
    for instance in instances:
        if _belongs_to_customers(inspect(instance).mapper.local_table.name):
            for table_name, ids in _parent_ids(instance).items():
                by_table[table_name].update(ids)
    if by_table:
        connection = session.connection()
        customers = (_customer_ids(connection, name, ids) for name, ids in by_table.items())
        _note(session, set().union(*customers))


def _note(session: Session, customer_ids: set) -> None:
    """Remember the customers this transaction changed; on a connection in autocommit (where
    each write stands at once) move their versions now."""
    if not customer_ids:
        return
    connection = session.connection()
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        _move_versions(connection, customer_ids)
    else:
        session.info.setdefault(_NOTED, set()).update(customer_ids)


@event.listens_for(Session, "before_flush")
def _note_deletes(session: Session, flush_context, instances) -> None:
    """Deleted rows, read while they still exist."""
    _note_rows(session, session.deleted)


@event.listens_for(Session, "after_flush")
def _note_inserts_and_updates(session: Session, flush_context) -> None:
    """Inserted and updated rows, once the flush has filled in their foreign keys."""
    changed = (row for row in session.dirty if session.is_modified(row, include_collections=True))
    _note_rows(session, [*session.new, *changed])


@event.listens_for(Session, "do_orm_execute")
def _note_statement(execute_state):
    """UPDATE and DELETE statements run through the session: whose rows they touch, read just
    before they run."""
    if not (execute_state.is_update or execute_state.is_delete):
        return None
    statement = execute_state.statement
    table_name = statement.table.name
    if not _belongs_to_customers(table_name):
        return None
    session = execute_state.session
    if statement.whereclause is None:
        customers = {_EVERY_CUSTOMER}
    else:
        query, _ = _customer_of(table_name)
        customers = set(session.connection().scalars(query.where(statement.whereclause)))
        customers.discard(None)
    result = execute_state.invoke_statement()
    _note(session, customers)
    return result


@event.listens_for(Session, "before_commit")
def _move_noted_versions(session: Session) -> None:
    """Move the versions of every customer this transaction changed, last thing before it
    commits: the row locks this takes are held only while the commit finishes, and taken in
    id order, so two commits never wait on each other's customers in a circle."""
    session.flush()  # the commit's own flush comes after this hook: note its rows first
    noted = session.info.pop(_NOTED, None)
    if noted:
        _move_versions(session.connection(), noted)


@event.listens_for(Session, "after_rollback")
def _forget_noted(session: Session) -> None:
    session.info.pop(_NOTED, None)


def _move_versions(connection, customer_ids: set) -> None:
    customers = _customers()
    statement = update(customers).values(portal_version=customers.c.portal_version + 1)
    if _EVERY_CUSTOMER in customer_ids:
        connection.execute(statement)
        return
    for batch in _batches(customer_ids):
        connection.execute(statement.where(customers.c.id.in_(batch)))
