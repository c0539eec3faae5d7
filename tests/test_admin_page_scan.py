"""Issue 13, point 4: the back office speaks the business, not the database.

Signed in as an admin and as a technician, the scan opens every list, create, edit and details
page of every model view the role may open (found from the admin's registered views, so a new
view is scanned without touching this file) on the demo contractor, and reads what a person
sees: text, placeholders and button words. None of it may be a stored enum value in
snake_case, a column name such as "Subtotal Cents", Flask-Admin's "Please select model", a
`customer.name` search placeholder, "Chosen lines 142, 144", a bare "None" or an ISO timestamp.
"""

import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.extensions import db
from app.models import StaffUser, WorkOrder
from app.models.enums import StaffRole
from tests.signed_in import sign_in_client

ROWS_PER_VIEW = 3

PROBLEMS = {
    "a snake_case value": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "a column name in Cents": re.compile(r"\bCents\b"),
    "Flask-Admin's placeholder": re.compile(r"Please select model"),
    "a dotted column name": re.compile(r"\b[a-z_]+\.[a-z_]+\b(?![.\w]*@)"),
    "Chosen lines": re.compile(r"Chosen lines"),
    "a bare None": re.compile(r"^\s*None\s*$"),
    "an ISO timestamp": re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"),
}
HIDDEN = '[hidden], .d-none, [style*="display:none"], [style*="display: none"]'
# Where a dotted name is expected: e-mail addresses, web addresses and file names.
DOTTED_IS_FINE = re.compile(r"@|https?://|www\.|\.(?:pdf|png|jpe?g|csv|ics|com|test|org)\b")


def _shown(html: str) -> list[str]:
    """What a person reads on the page: its text, placeholders and the words on buttons."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template", "noscript", "textarea"]):
        hidden.decompose()  # (a textarea's text is what was typed, not what the page says)
    for hidden in soup.select(HIDDEN):
        hidden.decompose()  # data for scripts (filters, confirmations), templates of rows
    seen = [text.strip() for text in soup.find_all(string=True) if text.strip()]
    seen += [tag["placeholder"] for tag in soup.find_all(placeholder=True)]
    seen += [tag["data-placeholder"] for tag in soup.find_all(attrs={"data-placeholder": True})]
    seen += [tag["value"] for tag in soup.select("input[type=submit], input[type=button]")]
    return seen


def _problems(html: str) -> set[str]:
    found = set()
    for text in _shown(html):
        for name, pattern in PROBLEMS.items():
            match = pattern.search(text)
            if match and not (name == "a dotted column name" and DOTTED_IS_FINE.search(text)):
                found.add(f"{name}: {text[:90]!r}")
    return found


def _pages(app, staff_id: int) -> list[str]:
    """Every list, create, edit and details page of the model views the staff member may open."""
    from flask_login import login_user

    urls = []
    with app.test_request_context():
        login_user(db.session.get(StaffUser, staff_id))
        for view in app.extensions["admin"][0]._views:
            if not hasattr(view, "model") or not view.is_accessible():
                continue
            urls.append(f"{view.url}/")
            if view.can_create:
                urls.append(f"{view.url}/new/")
            ids = view.get_query().order_by(None).order_by(view.model.id.desc())
            for row in ids.limit(ROWS_PER_VIEW):
                if view.can_edit:
                    urls.append(f"{view.url}/edit/?id={row.id}")
                if view.can_view_details:
                    urls.append(f"{view.url}/details/?id={row.id}")
        db.session.rollback()
    return urls


def _scan(app, staff_id: int) -> tuple[list[str], int]:
    client = app.test_client()
    sign_in_client(client, StaffUser, staff_id)
    failures, pages = [], 0
    for url in _pages(app, staff_id):
        response = client.get(url)
        if response.status_code == 302:
            continue  # kept as it is (a signed quote) or not theirs: the redirect says why
        if response.status_code != 200:
            failures.append(f"{url}: answered {response.status_code}")
            continue
        pages += 1
        failures += [f"{url}: {problem}" for problem in sorted(_problems(response.text))]
    return failures, pages


def _staff(role: StaffRole, *where) -> int:
    return db.session.scalars(select(StaffUser.id).where(StaffUser.role == role, *where)).first()


def test_every_admin_page_speaks_the_business(app, seeded_demo):
    with app.app_context():
        staff_id = _staff(StaffRole.ADMIN)
    failures, pages = _scan(app, staff_id)
    assert pages >= 80
    assert failures == [], "\n".join(failures)


def test_every_page_a_technician_opens_speaks_the_business(app, seeded_demo):
    with app.app_context():
        staff_id = _staff(StaffRole.TECHNICIAN, StaffUser.id.in_(select(WorkOrder.technician_id)))
    failures, pages = _scan(app, staff_id)
    assert pages >= 10
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(
    "html, problem",
    [
        ("<td>in_progress</td>", "a snake_case value"),
        ("<th>Subtotal Cents</th>", "a column name in Cents"),
        ('<select data-placeholder="Please select model"></select>', "Flask-Admin's placeholder"),
        ('<input placeholder="customer.name, number">', "a dotted column name"),
        ("<dd>Chosen lines 142, 144</dd>", "Chosen lines"),
        ("<td> None </td>", "a bare None"),
        ("<td>2026-12-08T10:00:00+00:00</td>", "an ISO timestamp"),
    ],
)
def test_the_scan_sees_each_kind_of_database_talk(html, problem):
    assert [found.split(":")[0] for found in _problems(html)] == [problem]


def test_the_scan_leaves_business_words_alone():
    html = (
        "<p>Tue, Dec 8, 10:00 AM · ana@example.com · stickers-maple-court.pdf · $4,623.36"
        " · Nothing due. · In progress</p><script>var in_progress = 1;</script>"
    )
    assert _problems(html) == set()
