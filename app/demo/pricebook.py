"""What the demo contractor charges: rates, fees, common repairs and maintenance visits."""

from dataclasses import dataclass
from decimal import Decimal

from app.demo.context import Demo
from app.demo.equipment import REFRIGERANT_PRICE_CENTS
from app.models import PriceBookItem
from app.models.base import cents_for
from app.models.enums import CustomerKind, LineKind, UnitKind

K = UnitKind

LABOR_RATE_CENTS = {CustomerKind.RESIDENTIAL: 12900, CustomerKind.COMMERCIAL: 14900}
DIAGNOSTIC_FEE_CENTS = {CustomerKind.RESIDENTIAL: 8900, CustomerKind.COMMERCIAL: 12900}
AFTER_HOURS_FEE_CENTS = 15000
PERMIT_FEE_CENTS = 8500
HAUL_AWAY_FEE_CENTS = 9500


@dataclass(frozen=True, slots=True)
class Line:
    """A priced line as the demo plans it, before it becomes a work order, quote or invoice row."""

    kind: LineKind
    description: str
    quantity: Decimal
    unit_price_cents: int
    taxable: bool = True

    @property
    def amount_cents(self) -> int:
        return cents_for(self.quantity, self.unit_price_cents)


@dataclass(frozen=True)
class Repair:
    summary: str
    part: str = ""  # empty for labour-only work
    part_cents: int = 0
    hours: float = 1.0
    leak: bool = False  # a refrigerant leak: search, repair, recharge


@dataclass(frozen=True)
class Maintenance:
    summary: str
    hours: float
    material: str
    material_cents: int
    season: int | None = None  # month a yearly visit falls in (tune furnaces before winter)


LEAK = Repair("Refrigerant leak: found, repaired and recharged", hours=3.0, leak=True)

REPAIRS: dict[UnitKind, tuple[Repair, ...]] = {
    K.FURNACE: (
        Repair("No heat: hot surface igniter failed", "Hot surface igniter", 18500, 1.0),
        Repair("Short cycling: flame sensor fouled", "Flame sensor", 9500, 0.75),
        Repair("Loud inducer motor", "Draft inducer motor assembly", 54500, 2.0),
        Repair("Pressure switch fault code", "Pressure switch", 16500, 1.0),
        Repair("No heat: control board failed", "Integrated furnace control board", 42500, 1.5),
        Repair("Blower not running", "Blower motor, 1/2 hp", 65000, 2.0),
    ),
    K.AIR_CONDITIONER: (
        Repair("No cooling: run capacitor failed", "Dual run capacitor 45/5 uF", 14500, 0.75),
        Repair("Outdoor unit humming, not starting", "Contactor, 2-pole 30 A", 16500, 1.0),
        Repair("Condenser fan not turning", "Condenser fan motor", 42500, 1.5),
        Repair("Frozen evaporator coil", "Float switch and drain cleaning kit", 6500, 2.0),
        Repair("Poor cooling: TXV restricted", "Thermostatic expansion valve", 89000, 4.0),
        LEAK,
    ),
    K.HEAT_PUMP: (
        Repair("Stuck in cooling: reversing valve coil failed", "Reversing valve coil", 18500, 1.0),
        Repair("Iced over: defrost board failed", "Defrost control board", 38500, 1.5),
        Repair("Not starting: run capacitor failed", "Dual run capacitor 40/5 uF", 14500, 0.75),
        Repair("Outdoor fan not turning", "Outdoor fan motor", 42500, 1.5),
        LEAK,
    ),
    K.MINI_SPLIT: (
        Repair("Indoor head dripping water", "Condensate pump", 16500, 1.5),
        Repair("Blinking error code, no cooling", "Outdoor inverter board", 52000, 2.5),
        Repair("Remote not responding", "Wireless remote and receiver board", 11500, 0.75),
        LEAK,
    ),
    K.BOILER: (
        Repair("No heat upstairs: circulator failed", "Circulator pump", 46500, 2.0),
        Repair("Pressure dropping: expansion tank failed", "Expansion tank", 32500, 1.5),
        Repair("Lockout: ignition failure", "Igniter and flame rod kit", 21000, 1.25),
        Repair("Relief valve dripping", "Pressure relief valve, 30 psi", 8500, 1.0),
    ),
    K.ROOFTOP_UNIT: (
        Repair("Economizer stuck open", "Economizer actuator", 54000, 2.0),
        Repair("Squealing blower", "Blower belt and pulley alignment", 4500, 1.0),
        Repair("Compressor not starting: contactor failed", "Contactor, 3-pole 40 A", 18500, 1.0),
        Repair("No heat: gas valve failed", "Gas valve", 39500, 2.0),
        Repair("Condenser fan motor failed", "Condenser fan motor, 1/3 hp", 46500, 2.0),
        LEAK,
    ),
    K.CHILLER: (
        Repair("High head pressure alarm", "Condenser fan motor", 125000, 4.0),
        Repair("Low flow trip", "Chilled water flow switch", 41000, 2.5),
        Repair("Compressor oil analysis flagged acid", "Oil, filter and acid test kit", 68000, 5.0),
        LEAK,
    ),
    K.WALK_IN_COOLER: (
        Repair("Box temperature rising", "Evaporator fan motor", 28500, 1.5),
        Repair("Coil iced over: defrost timer failed", "Defrost timer", 16500, 1.0),
        Repair("Door not sealing", "Door gasket, 36 x 78 in", 22000, 1.0),
        Repair("Temperature alarm: condenser coil plugged", "Coil cleaner", 1800, 2.0),
        LEAK,
    ),
    K.WALK_IN_FREEZER: (
        Repair(
            "Ice on the evaporator: defrost heater failed", "Defrost heater element", 24000, 2.0
        ),
        Repair("Box at 15 F: evaporator fan motor failed", "Evaporator fan motor", 28500, 1.5),
        Repair("Door frame heater out, door freezing shut", "Door frame heater wire", 19500, 2.5),
        LEAK,
    ),
    K.REACH_IN_REFRIGERATOR: (
        Repair("Door gasket torn", "Door gasket", 12000, 0.5),
        Repair("Running warm: condenser fan failed", "Condenser fan motor", 19000, 1.0),
        Repair("Temperature drifting", "Electronic thermostat", 9500, 1.0),
    ),
    K.ICE_MACHINE: (
        Repair("No ice: water inlet valve failed", "Water inlet valve", 14500, 1.0),
        Repair("Thin, cloudy ice", "Descaler and sanitizer", 6500, 2.0),
        Repair("Harvest failure", "Harvest assist motor", 21000, 1.5),
        Repair("Ice bridge too thick", "Ice thickness probe", 9500, 1.0),
        LEAK,
    ),
    K.WATER_HEATER: (
        Repair("Pilot will not stay lit", "Thermocouple", 8500, 0.75),
        Repair("Rotten-egg smell in the hot water", "Aluminum-zinc anode rod", 9500, 1.0),
        Repair("No hot water: gas control valve failed", "Gas control valve", 32500, 1.5),
    ),
    K.AIR_HANDLER: (
        Repair("Blower hums but will not start", "Blower capacitor 10 uF", 9500, 0.75),
        Repair("Water in the pan: condensate pump failed", "Condensate pump", 16500, 1.0),
        Repair("Blower motor failed", "ECM blower motor", 89500, 2.0),
    ),
}

FILTERS = ("Pleated filter, MERV 11", 2800)
COIL_CLEANER = ("Coil cleaner and shop supplies", 1800)

MAINTENANCE: dict[UnitKind, Maintenance] = {
    K.FURNACE: Maintenance("Fall furnace tune-up", 1.0, *FILTERS, season=10),
    K.AIR_CONDITIONER: Maintenance("Spring AC tune-up", 1.0, *COIL_CLEANER, season=4),
    K.HEAT_PUMP: Maintenance("Seasonal heat pump maintenance", 1.0, *FILTERS),
    K.MINI_SPLIT: Maintenance("Mini-split cleaning and check", 1.0, "Coil cleaning bag kit", 3500),
    K.BOILER: Maintenance("Annual boiler service", 1.5, "Combustion test and gaskets", 4200, 9),
    K.ROOFTOP_UNIT: Maintenance("Quarterly rooftop unit maintenance", 1.5, "Filter set (4)", 9600),
    K.CHILLER: Maintenance("Quarterly chiller inspection", 4.0, "Log sheets and water test", 6500),
    K.WALK_IN_COOLER: Maintenance("Quarterly walk-in cooler maintenance", 1.5, *COIL_CLEANER),
    K.WALK_IN_FREEZER: Maintenance("Quarterly walk-in freezer maintenance", 1.5, *COIL_CLEANER),
    K.REACH_IN_REFRIGERATOR: Maintenance("Reach-in cooler cleaning", 0.75, *COIL_CLEANER),
    K.ICE_MACHINE: Maintenance("Ice machine clean and sanitize", 2.0, "Nickel-safe descaler", 4200),
    K.WATER_HEATER: Maintenance("Water heater flush and check", 0.75, "Drain valve washer", 600),
    K.AIR_HANDLER: Maintenance("Air handler maintenance", 1.0, *FILTERS),
}  # fmt: skip

# Work done at a property but not on one unit.
SITE_JOBS = (
    ("Install smart thermostat", "Smart Wi-Fi thermostat", 24500, 1.0),
    ("Duct leakage repair in the attic", "Mastic and foil tape", 3500, 3.0),
    ("Carbon monoxide alarm check", "Carbon monoxide alarm", 4500, 0.5),
    ("Add a return air grille", "Return grille and duct collar", 12500, 2.0),
)


def labor(customer_kind: CustomerKind, hours: float, what: str = "Labor") -> Line:
    """Technician time at the customer's hourly rate."""
    return Line(LineKind.LABOR, what, Decimal(str(hours)), LABOR_RATE_CENTS[customer_kind])


def fee(description: str, cents: int) -> Line:
    return Line(LineKind.FEE, description, Decimal(1), cents)


def part(description: str, cents: int, quantity: Decimal = Decimal(1)) -> Line:
    return Line(LineKind.PART, description, quantity, cents)


def diagnostic(customer_kind: CustomerKind) -> Line:
    return fee("Service call and diagnostic", DIAGNOSTIC_FEE_CENTS[customer_kind])


def refrigerant(gas: str, pounds: Decimal) -> Line:
    return part(f"Refrigerant {gas}, per lb", REFRIGERANT_PRICE_CENTS[gas], pounds)


def under_warranty(line: Line, covered: bool) -> Line:
    """The same line at no charge when the warranty covers it."""
    if not covered or line.unit_price_cents == 0:
        return line
    return Line(line.kind, f"{line.description} (under warranty)", line.quantity, 0)


# The demo's price book: (code, kind, description, price, taxable). Labour and fees are not
# taxed, parts and refrigerant are (as in most US states).
HOME, SHOP = CustomerKind.RESIDENTIAL, CustomerKind.COMMERCIAL
GAS = REFRIGERANT_PRICE_CENTS
LK = LineKind
PRICE_BOOK = (
    ("DIAG", LK.FEE, "Service call and diagnostic", DIAGNOSTIC_FEE_CENTS[HOME], False),
    ("DIAG-COM", LK.FEE, "Commercial service call, diagnostic", DIAGNOSTIC_FEE_CENTS[SHOP], False),
    ("LAB-HR", LK.LABOR, "Labor, per hour", LABOR_RATE_CENTS[HOME], False),
    ("LAB-HR-COM", LK.LABOR, "Commercial labor, per hour", LABOR_RATE_CENTS[SHOP], False),
    ("AFTER-HRS", LK.FEE, "After-hours and weekend call", AFTER_HOURS_FEE_CENTS, False),
    ("MAINT-VISIT", LK.LABOR, "Maintenance plan visit", 11900, False),
    ("CAP-45-5", LK.PART, "Dual run capacitor 45/5 µF", 14500, True),
    ("CONT-2P30", LK.PART, "Contactor, 2-pole 30 A", 16500, True),
    ("R410A-LB", LK.PART, "Refrigerant R-410A, per lb", GAS["R-410A"], True),
    ("R454B-LB", LK.PART, "Refrigerant R-454B, per lb", GAS["R-454B"], True),
    ("FLT-16251", LK.PART, "Pleated filter 16x25x1, MERV 11", 2800, True),
    ("COND-PUMP", LK.PART, "Condensate pump", 16500, True),
    ("IGN-HSI", LK.PART, "Hot surface igniter", 18500, True),
    ("FLAME-SNS", LK.PART, "Flame sensor", 9500, True),
    ("TSTAT-WIFI", LK.EQUIPMENT, "Smart Wi-Fi thermostat", 24500, True),
    ("PERMIT", LK.FEE, "Mechanical permit", PERMIT_FEE_CENTS, False),
    ("HAUL-AWAY", LK.FEE, "Haul away and recycle old equipment", HAUL_AWAY_FEE_CENTS, False),
    ("DISC-PLAN", LK.DISCOUNT, "Maintenance plan member discount", -2500, False),
)  # fmt: skip


def write_price_book(demo: Demo) -> None:
    """The price book the office keeps and technicians pick lines from."""
    added = demo.at(demo.history_start, 9)
    rows = [
        {
            "code": code,
            "kind": kind,
            "description": description,
            "price_cents": cents,
            "taxable": taxable,
            "active": True,
            "created_at": added,
        }
        for code, kind, description, cents, taxable in PRICE_BOOK
    ]
    demo.writer.insert(PriceBookItem, rows)
