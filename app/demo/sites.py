"""Customers, their properties, the equipment at each and the customers' portal logins."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import cycle

from app.demo.accounts import Tech
from app.demo.catalog import (
    ACCESS_NOTES,
    APARTMENT_NAMES,
    BUSINESS_NAMES,
    COMMERCIAL_CONTACT_TITLES,
    FIRST_NAMES,
    LAST_NAMES,
    OFFICE_PARK_NAMES,
    PERSONAL_EMAIL_DOMAINS,
    SECOND_HOME_NAMES,
    STATE,
    STREETS,
    TOWNS,
)
from app.demo.context import Demo, add_years
from app.demo.equipment import UNIT_SPECS, UnitSpec
from app.demo.profiles import CUSTOMER_PLANS, CustomerPlan, SitePlan, UnitPlan
from app.models import ChargeRevision, Customer, PortalUser, Property, Unit
from app.models.enums import CustomerKind, UnitKind

# Share of units whose parts warranty is active or expiring within 90 days; the rest expired.
WARRANTY_ACTIVE, WARRANTY_EXPIRING = 0.45, 0.12


@dataclass(slots=True, eq=False)
class PortalLogin:
    name: str
    email: str
    id: int = 0


@dataclass(slots=True, eq=False)
class Address:
    line1: str
    city: str
    postal_code: str

    def __str__(self) -> str:
        return f"{self.line1}\n{self.city}, {STATE} {self.postal_code}"


@dataclass(slots=True, eq=False)
class CustomerRec:
    kind: CustomerKind
    name: str
    contact: str  # the person the office talks to
    email: str
    phone: str
    billing_address: Address
    notes: str
    crew: list[Tech]  # the technicians who serve this customer
    since: datetime  # when the customer came on board
    id: int = 0
    sites: list["SiteRec"] = field(default_factory=list)
    portal_logins: list[PortalLogin] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class SiteRec:
    customer: CustomerRec
    name: str
    address: Address
    access_notes: str
    id: int = 0
    units: list["UnitRec"] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class UnitRec:
    site: SiteRec
    kind: UnitKind
    name: str
    spec: UnitSpec
    manufacturer: str
    model_number: str
    serial_number: str
    install_date: date
    parts_warranty_end: date
    labor_warranty_end: date
    refrigerant: str
    full_charge_lb: Decimal | None
    leaky: bool
    id: int = 0

    @property
    def customer(self) -> CustomerRec:
        return self.site.customer

    @property
    def in_sentence(self) -> str:
        """The name as it reads mid-sentence: "side-yard AC condenser", but "RTU-1" as it is."""
        name = self.name
        return name[0].lower() + name[1:] if name[1:2].islower() else name


class SiteBuilder:
    """Builds and inserts the customers of scale copies, never handing out an e-mail twice."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.used_emails: set[str] = set()
        shuffled = {
            key: demo.rng.sample(names, len(names)) for key, names in BUSINESS_NAMES.items()
        }
        self.business_names = {key: cycle(names) for key, names in shuffled.items()}
        self.apartments = cycle(demo.rng.sample(APARTMENT_NAMES, len(APARTMENT_NAMES)))
        self.office_parks = cycle(demo.rng.sample(OFFICE_PARK_NAMES, len(OFFICE_PARK_NAMES)))

    def build(self, crews: list[list[Tech]]) -> list[CustomerRec]:
        """A copy of CUSTOMER_PLANS per crew, inserted with properties, units and portal logins."""
        customers = [self._customer(plan, crew) for crew in crews for plan in CUSTOMER_PLANS]
        writer = self.demo.writer
        ids = writer.insert_returning_ids(Customer, [_customer_row(c) for c in customers])
        for customer, customer_id in zip(customers, ids, strict=True):
            customer.id = customer_id
        sites = [site for customer in customers for site in customer.sites]
        ids = writer.insert_returning_ids(Property, [_property_row(site) for site in sites])
        for site, site_id in zip(sites, ids, strict=True):
            site.id = site_id
        units = [unit for site in sites for unit in site.units]
        ids = writer.insert_returning_ids(Unit, [_unit_row(self.demo, unit) for unit in units])
        for unit, unit_id in zip(units, ids, strict=True):
            unit.id = unit_id
        writer.insert(
            ChargeRevision, [_charge_row(self.demo, u) for u in units if u.full_charge_lb]
        )
        logins = [(c, login) for c in customers for login in c.portal_logins]
        rows = [self._portal_row(customer, login) for customer, login in logins]
        ids = writer.insert_returning_ids(PortalUser, rows)
        for (_, login), login_id in zip(logins, ids, strict=True):
            login.id = login_id
        return customers

    def _customer(self, plan: CustomerPlan, crew: list[Tech]) -> CustomerRec:
        demo = self.demo
        last = demo.pick(LAST_NAMES)
        people = [f"{demo.pick(FIRST_NAMES)} {last}" for _ in range(max(plan.portal_logins, 1))]
        if plan.naming == "household":
            name, notes = people[0], ""
        elif plan.naming == "couple":
            name, notes = f"{people[0].split()[0]} and {people[1]}", ""
        else:
            name = next(self.business_names[plan.naming])
            notes = f"Contact: {people[0]}, {demo.pick(COMMERCIAL_CONTACT_TITLES)}. Net 30."
        domain = (
            demo.pick(PERSONAL_EMAIL_DOMAINS)
            if plan.kind == CustomerKind.RESIDENTIAL
            else f"{_slug(name)}.example"
        )
        emails = [self._email(person, domain, plan.kind) for person in people]
        joined = demo.day_between(demo.history_start - timedelta(days=900), demo.history_start)
        customer = CustomerRec(
            kind=plan.kind,
            name=name,
            contact=people[0],
            email=emails[0],
            phone=_phone(demo),
            billing_address=self._address(),
            notes=notes,
            crew=crew,
            since=demo.at(joined, 10),
        )
        customer.portal_logins = [
            PortalLogin(person, email)
            for person, email in zip(people[: plan.portal_logins], emails, strict=False)
        ]
        park = next(self.office_parks)
        buildings = iter(f"{park}, Building {letter}" for letter in "ABCDEFGH")
        customer.sites = [self._site(customer, site, buildings) for site in plan.sites]
        return customer

    def _site(self, customer: CustomerRec, plan: SitePlan, buildings: Iterator[str]) -> SiteRec:
        if plan.naming == "home":
            name, address = "Home", customer.billing_address
        else:
            address = self._address()
            if plan.naming == "second_home":
                name = self.demo.pick(SECOND_HOME_NAMES)
            elif plan.naming == "apartments":
                name = next(self.apartments)
            elif plan.naming == "office_park":
                name = next(buildings)
            else:
                name, address = customer.name, customer.billing_address
        site = SiteRec(customer, name, address, self.demo.pick(ACCESS_NOTES))
        site.units = [self._unit(site, unit_plan) for unit_plan in plan.units]
        return site

    def _unit(self, site: SiteRec, plan: UnitPlan) -> UnitRec:
        demo, spec = self.demo, UNIT_SPECS[plan.kind]
        years = spec.parts_warranty_years
        roll = demo.rng.random()
        if roll < WARRANTY_ACTIVE:
            parts_end = demo.today + timedelta(days=demo.rng.randint(91, years * 365 - 30))
        elif roll < WARRANTY_ACTIVE + WARRANTY_EXPIRING:
            parts_end = demo.today + timedelta(days=demo.rng.randint(1, 89))
        else:
            parts_end = demo.today - timedelta(days=demo.rng.randint(20, 12 * 365))
        installed = add_years(parts_end, -years)
        # Equipment this contractor installed carries its two-year labour warranty.
        labor_end = add_years(installed, 2 if installed >= demo.history_start else 1)
        manufacturer, model_number = demo.pick(spec.models)
        refrigerant = spec.refrigerant_for(installed.year)
        charge = None
        if refrigerant:
            low, high = spec.charge_lb
            charge = Decimal(str(round(demo.rng.uniform(low, high), 2)))
        week = installed.isocalendar().week
        serial = f"{installed.year % 100:02d}{week:02d}{demo.pick('ABCEFGHJKMNPRSTW')}"
        serial += f"{demo.rng.randint(0, 99999):05d}"
        return UnitRec(
            site=site,
            kind=plan.kind,
            name=plan.name,
            spec=spec,
            manufacturer=manufacturer,
            model_number=model_number,
            serial_number=serial,
            install_date=installed,
            parts_warranty_end=parts_end,
            labor_warranty_end=labor_end,
            refrigerant=refrigerant,
            full_charge_lb=charge,
            leaky=plan.leaky,
        )

    def _address(self) -> Address:
        demo = self.demo
        town, postal_codes = demo.pick(TOWNS)
        line1 = f"{demo.rng.randint(100, 9899)} {demo.pick(STREETS)}"
        return Address(line1, town, demo.pick(postal_codes))

    def _email(self, person: str, domain: str, kind: CustomerKind) -> str:
        first, last = person.lower().split()[0], person.lower().split()[-1]
        local = f"{first}.{last}" if kind == CustomerKind.RESIDENTIAL else first
        local = re.sub(r"[^a-z.]", "", local)
        email, number = f"{local}@{domain}", 1
        while email in self.used_emails:
            number += 1
            email = f"{local}{number}@{domain}"
        self.used_emails.add(email)
        return email

    def _portal_row(self, customer: CustomerRec, login: PortalLogin) -> dict:
        demo = self.demo
        invited = demo.moment_between(customer.since, demo.at(demo.today - timedelta(days=30), 9))
        signed_in = demo.moment_between(invited, demo.now) if demo.chance(0.75) else None
        return {
            "customer_id": customer.id,
            "email": login.email,
            "name": login.name,
            "phone": _phone(demo),
            "active": True,
            "invited_at": invited,
            "last_login_at": signed_in,
            "created_at": invited,
        }


def by_crew(customers: list[CustomerRec]) -> list[list[CustomerRec]]:
    """The customers of each scale copy: a copy's customers share one crew."""
    copies: dict[int, list[CustomerRec]] = {}
    for customer in customers:
        copies.setdefault(customer.crew[0].id, []).append(customer)
    return list(copies.values())


def _customer_row(customer: CustomerRec) -> dict:
    return {
        "name": customer.name,
        "kind": customer.kind,
        "email": customer.email,
        "phone": customer.phone,
        "billing_address": str(customer.billing_address),
        "notes": customer.notes,
        "created_at": customer.since,
    }


def _property_row(site: SiteRec) -> dict:
    return {
        "customer_id": site.customer.id,
        "name": site.name,
        "address_line1": site.address.line1,
        "city": site.address.city,
        "state": STATE,
        "postal_code": site.address.postal_code,
        "access_notes": site.access_notes,
        "created_at": site.customer.since,
    }


def unit_added(demo: Demo, unit: UnitRec) -> datetime:
    """When the unit went on file: its installation, or the customer's first day with us."""
    return max(unit.customer.since, demo.at(unit.install_date, 16))


def _unit_row(demo: Demo, unit: UnitRec) -> dict:
    spec = unit.spec
    added = unit_added(demo, unit)
    return {
        "property_id": unit.site.id,
        "name": unit.name,
        "kind": unit.kind,
        "manufacturer": unit.manufacturer,
        "model_number": unit.model_number,
        "serial_number": unit.serial_number,
        "install_date": unit.install_date,
        "parts_warranty_end": unit.parts_warranty_end,
        "labor_warranty_end": unit.labor_warranty_end,
        "refrigerant_type": unit.refrigerant,
        "full_charge_lb": unit.full_charge_lb,
        "charge_method": spec.charge_method if unit.refrigerant else None,
        "epa_appliance_type": spec.appliance if unit.refrigerant else None,
        "service_interval_months": spec.interval_months,
        "qr_token_issued_at": added,
        "created_at": added,
    }


def _charge_row(demo: Demo, unit: UnitRec) -> dict:
    """The unit's full charge as its first revision, from the installation."""
    return {
        "unit_id": unit.id,
        "effective_on": unit.install_date,
        "full_charge_lb": unit.full_charge_lb,
        "method": unit.spec.charge_method,
        "notes": "",
        "created_at": max(unit.customer.since, demo.at(unit.install_date, 16)),
    }


def _phone(demo: Demo) -> str:
    return f"(217) 555-{demo.rng.randint(100, 199):04d}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())
