"""The pages `bench/portal_speed.py` measures, and who opens each (one list, shared with the
query-count test tests/test_bench_page_queries.py, so every measured page has a test).

Who is one of: "anonymous" (a stranger's phone at the sticker), "household" and "commercial"
(the demo's portal customers printed by `flask seed-demo`), "technician" and "admin" (staff).
"{sticker}" in a path stands for the QR token of the household's first unit (STICKER_SQL).
"""

from dataclasses import dataclass

HOUSEHOLD = "household"
COMMERCIAL = "commercial"
TECHNICIAN = "technician"
ADMIN = "admin"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Page:
    label: str
    who: str
    path: str
    kind: str  # "sticker", "portal" or "admin": which targets of issue 16 apply


PAGES = (
    Page("sticker (anonymous)", ANONYMOUS, "/U/{sticker}", "sticker"),
    Page("portal dashboard", HOUSEHOLD, "/portal/", "portal"),
    Page("portal equipment", HOUSEHOLD, "/portal/equipment", "portal"),
    Page("portal history", HOUSEHOLD, "/portal/history", "portal"),
    Page("portal documents", HOUSEHOLD, "/portal/documents", "portal"),
    Page("portal invoices", HOUSEHOLD, "/portal/invoices", "portal"),
    Page("portal quotes", HOUSEHOLD, "/portal/quotes", "portal"),
    Page("portal messages", HOUSEHOLD, "/portal/messages", "portal"),
    Page("portal requests", HOUSEHOLD, "/portal/requests", "portal"),
    Page("portal compliance", COMMERCIAL, "/portal/compliance", "portal"),
    Page("technician sticker view", TECHNICIAN, "/U/{sticker}", "staff"),
    Page("admin work orders", ADMIN, "/admin/workorder/", "admin"),
    Page("admin invoices", ADMIN, "/admin/invoice/", "admin"),
    Page("admin dispatch", ADMIN, "/admin/dispatch/", "admin"),
    Page("admin customers", ADMIN, "/admin/customer/", "admin"),
)

# The demo's sign-ins (app/demo: the first copy's people; the same at every scale).
STAFF_LOGINS = {
    TECHNICIAN: ("tech1@polarbear.example", "polarbear-tech"),
    ADMIN: ("admin@polarbear.example", "polarbear-admin"),
}

# The portal customers `flask seed-demo` prints: a household with two properties (the first),
# and a commercial customer with an open leak repair (the most recent one found).
PORTAL_USER_SQL = {
    HOUSEHOLD: """
        SELECT pu.email FROM portal_users pu JOIN customers c ON c.id = pu.customer_id
        WHERE c.kind = 'residential'
          AND c.id IN (SELECT customer_id FROM properties GROUP BY customer_id HAVING count(*) > 1)
        ORDER BY pu.id LIMIT 1""",
    COMMERCIAL: """
        SELECT pu.email FROM portal_users pu
        JOIN properties p ON p.customer_id = pu.customer_id
        JOIN units u ON u.property_id = p.id
        JOIN repair_episodes e ON e.unit_id = u.id
        WHERE e.status = 'open' AND e.repaired_on IS NOT NULL
        ORDER BY e.discovered_on DESC, pu.id LIMIT 1""",
}

STICKER_SQL = """
    SELECT u.qr_token FROM units u JOIN properties p ON p.id = u.property_id
    WHERE p.customer_id = (SELECT customer_id FROM portal_users WHERE email = :email)
    ORDER BY u.id LIMIT 1"""
