"""The demo company's settings row and its staff, with known passwords for trying the app out."""

from dataclasses import dataclass
from decimal import Decimal

from app.demo.catalog import FIRST_NAMES, LAST_NAMES
from app.demo.context import Demo
from app.models import CompanySettings, StaffUser
from app.models.enums import StaffRole
from app.passwords import hash_password

DEMO_DOMAIN = "polarbear.example"
COMPANY_NAME = "Polar Bear Heating & Air"
TIME_ZONE = "America/Chicago"
BRAND_COLOR = "#1f6fb2"
TAX_RATE_PERCENT = Decimal("8.250")
CERTIFYING_ORGANIZATIONS = ("ESCO", "MSCA", "RSES", "HVACE")


@dataclass(frozen=True)
class DemoLogin:
    """A staff sign-in the demo creates, with its password in the clear (demo only)."""

    email: str
    role: StaffRole
    name: str
    password: str


TECHNICIAN_PASSWORD = "polarbear-tech"  # noqa: S105  (published demo password)

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(f"admin@{DEMO_DOMAIN}", StaffRole.ADMIN, "Dana Whitfield", "polarbear-admin"),
    DemoLogin(
        f"dispatch@{DEMO_DOMAIN}", StaffRole.DISPATCHER, "Rosa Delgado", "polarbear-dispatch"
    ),
    DemoLogin(f"manager@{DEMO_DOMAIN}", StaffRole.MANAGER, "Glen Hartley", "polarbear-manager"),
    DemoLogin(f"tech1@{DEMO_DOMAIN}", StaffRole.TECHNICIAN, "Marcus Reyes", TECHNICIAN_PASSWORD),
    DemoLogin(f"tech2@{DEMO_DOMAIN}", StaffRole.TECHNICIAN, "Jenna Kowalski", TECHNICIAN_PASSWORD),
    DemoLogin(f"tech3@{DEMO_DOMAIN}", StaffRole.TECHNICIAN, "Tyrone Banks", TECHNICIAN_PASSWORD),
    DemoLogin(f"tech4@{DEMO_DOMAIN}", StaffRole.TECHNICIAN, "Luis Ortega", TECHNICIAN_PASSWORD),
)
# Each scale copy's customers get a crew this size; the first crew is the one above.
TECHNICIANS_PER_COPY = sum(login.role == StaffRole.TECHNICIAN for login in DEMO_LOGINS)


@dataclass(frozen=True, slots=True)
class Tech:
    id: int
    name: str
    certification: str  # EPA Section 608 certification number


@dataclass
class Staff:
    """The staff rows the rest of the demo refers to."""

    dispatcher_id: int
    crews: list[list[Tech]]  # the technicians serving each scale copy's customers


def add_company(demo: Demo, *, logo_key: str | None = None) -> None:
    """The company settings row (with the stored logo's key)."""
    demo.writer.session.add(
        CompanySettings(
            name=COMPANY_NAME,
            phone="(217) 555-0142",
            email=f"office@{DEMO_DOMAIN}",
            address="1820 Industrial Park Drive\nSpringfield, IL 62703",
            time_zone=TIME_ZONE,
            brand_color=BRAND_COLOR,
            logo_key=logo_key,
            tax_rate_percent=TAX_RATE_PERCENT,
            currency="USD",
        )
    )
    demo.writer.counts["company_settings"] += 1


def add_staff(demo: Demo, copies: int) -> Staff:
    """The office staff of DEMO_LOGINS and TECHNICIANS_PER_COPY technicians per scale copy.

    Each demo password is hashed once: hashing is deliberately slow, and at scale there are
    hundreds of technicians sharing one.
    """
    hashes = {login.password: hash_password(login.password) for login in DEMO_LOGINS}
    people = list(DEMO_LOGINS)
    for number in range(TECHNICIANS_PER_COPY + 1, TECHNICIANS_PER_COPY * copies + 1):
        name = f"{demo.pick(FIRST_NAMES)} {demo.pick(LAST_NAMES)}"
        email = f"tech{number}@{DEMO_DOMAIN}"
        people.append(DemoLogin(email, StaffRole.TECHNICIAN, name, TECHNICIAN_PASSWORD))
    rows = [
        {
            "email": person.email,
            "name": person.name,
            "role": person.role,
            "phone": f"(217) 555-{demo.rng.randint(150, 199):04d}",
            "password_hash": hashes[person.password],
            "epa_certification_number": (
                _certification(demo) if person.role == StaffRole.TECHNICIAN else ""
            ),
            "active": True,
            "created_at": demo.at(demo.history_start, 8),
        }
        for person in people
    ]
    ids = demo.writer.insert_returning_ids(StaffUser, rows)
    techs = [
        Tech(staff_id, row["name"], row["epa_certification_number"])
        for staff_id, row in zip(ids, rows, strict=True)
        if row["role"] == StaffRole.TECHNICIAN
    ]
    dispatcher_id = next(
        staff_id
        for staff_id, row in zip(ids, rows, strict=True)
        if row["role"] == StaffRole.DISPATCHER
    )
    crews = [
        techs[copy * TECHNICIANS_PER_COPY : (copy + 1) * TECHNICIANS_PER_COPY]
        for copy in range(copies)
    ]
    return Staff(dispatcher_id, crews)


def _certification(demo: Demo) -> str:
    return f"{demo.pick(CERTIFYING_ORGANIZATIONS)}-608U-{demo.rng.randint(1000000, 9999999)}"
