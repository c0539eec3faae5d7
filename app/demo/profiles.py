"""The shape of the demo's customer base: 25 customers, their sites and the equipment at each.

One scale copy is this list once; names and addresses are drawn fresh for every copy.
"""

from dataclasses import dataclass

from app.models.enums import CustomerKind, UnitKind

K = UnitKind


@dataclass(frozen=True)
class UnitPlan:
    kind: UnitKind
    name: str  # where it is on the site
    leaky: bool = False  # a system that keeps losing refrigerant, for the compliance story


@dataclass(frozen=True)
class SitePlan:
    # "home", "second_home" or a BUSINESS_NAMES key; or "apartments" / "office_park"
    naming: str
    units: tuple[UnitPlan, ...]


@dataclass(frozen=True)
class CustomerPlan:
    kind: CustomerKind
    naming: str  # "household", "couple" or a BUSINESS_NAMES key
    sites: tuple[SitePlan, ...]
    portal_logins: int = 1


def _units(*pairs: tuple[UnitKind, str]) -> tuple[UnitPlan, ...]:
    return tuple(UnitPlan(kind, name) for kind, name in pairs)


GAS_SPLIT = _units((K.FURNACE, "Basement furnace"), (K.AIR_CONDITIONER, "Side-yard AC condenser"))
GAS_SPLIT_WH = (*GAS_SPLIT, UnitPlan(K.WATER_HEATER, "Basement water heater"))
ATTIC_SPLIT = _units((K.FURNACE, "Attic furnace"), (K.AIR_CONDITIONER, "Back-yard AC condenser"))
HEAT_PUMP = _units((K.HEAT_PUMP, "Heat pump"), (K.AIR_HANDLER, "Hall closet air handler"))
BOILER_DUCTLESS = _units(
    (K.BOILER, "Basement boiler"),
    (K.MINI_SPLIT, "Living room mini-split"),
    (K.MINI_SPLIT, "Primary bedroom mini-split"),
)
SPLIT_GARAGE = (*GAS_SPLIT, UnitPlan(K.MINI_SPLIT, "Garage workshop mini-split"))
CABIN = _units((K.FURNACE, "Crawl-space furnace"), (K.MINI_SPLIT, "Great room mini-split"))
RENTAL = _units((K.FURNACE, "Utility closet furnace"), (K.AIR_CONDITIONER, "AC condenser"))


def _home(units: tuple[UnitPlan, ...]) -> tuple[SitePlan, ...]:
    return (SitePlan("home", units),)


def _household(units, *, logins: int = 1, second: tuple[UnitPlan, ...] = ()) -> CustomerPlan:
    sites = _home(units) + ((SitePlan("second_home", second),) if second else ())
    return CustomerPlan(CustomerKind.RESIDENTIAL, "household", sites, logins)


RESTAURANT_KITCHEN = _units(
    (K.ROOFTOP_UNIT, "RTU-1 dining room"),
    (K.ROOFTOP_UNIT, "RTU-2 kitchen make-up air"),
    (K.WALK_IN_COOLER, "Walk-in cooler"),
    (K.WALK_IN_FREEZER, "Walk-in freezer"),
    (K.ICE_MACHINE, "Bar ice machine"),
    (K.REACH_IN_REFRIGERATOR, "Prep line reach-in"),
)

CUSTOMER_PLANS: tuple[CustomerPlan, ...] = (
    CustomerPlan(CustomerKind.RESIDENTIAL, "couple", _home(GAS_SPLIT_WH), portal_logins=2),
    _household(GAS_SPLIT),
    _household(GAS_SPLIT_WH),
    _household(ATTIC_SPLIT),
    _household(HEAT_PUMP),
    _household(HEAT_PUMP, second=CABIN),
    _household(BOILER_DUCTLESS),
    _household(SPLIT_GARAGE),
    _household(GAS_SPLIT, second=RENTAL),
    _household(ATTIC_SPLIT),
    _household(GAS_SPLIT_WH, logins=0),
    _household(HEAT_PUMP),
    _household(BOILER_DUCTLESS, second=CABIN),
    _household(GAS_SPLIT),
    _household(ATTIC_SPLIT, logins=0),
    _household(SPLIT_GARAGE, second=RENTAL),
    _household(GAS_SPLIT, logins=0),
    CustomerPlan(
        CustomerKind.COMMERCIAL, "restaurant", (SitePlan("restaurant", RESTAURANT_KITCHEN),)
    ),
    CustomerPlan(
        CustomerKind.COMMERCIAL,
        "restaurant",
        (SitePlan("restaurant", RESTAURANT_KITCHEN[1:]),),
        portal_logins=0,
    ),
    CustomerPlan(
        CustomerKind.COMMERCIAL,
        "grocery",
        (
            SitePlan(
                "grocery",
                (
                    *_units(
                        (K.ROOFTOP_UNIT, "RTU-1 sales floor"),
                        (K.ROOFTOP_UNIT, "RTU-2 sales floor"),
                        (K.ROOFTOP_UNIT, "RTU-3 back room"),
                        (K.WALK_IN_COOLER, "Produce walk-in cooler"),
                        (K.WALK_IN_COOLER, "Dairy walk-in cooler"),
                    ),
                    UnitPlan(K.WALK_IN_FREEZER, "Frozen foods walk-in freezer", leaky=True),
                    UnitPlan(K.ICE_MACHINE, "Seafood counter ice machine"),
                    # Covered comfort cooling next to the refrigeration (the RTUs are small).
                    UnitPlan(K.CHILLER, "Sales floor chiller CH-1"),
                ),
            ),
        ),
    ),
    CustomerPlan(
        CustomerKind.COMMERCIAL,
        "office",
        (
            SitePlan(
                "office",
                _units(
                    (K.CHILLER, "Rooftop chiller CH-1"),
                    (K.AIR_HANDLER, "AHU-1 floors 1-4"),
                    (K.AIR_HANDLER, "AHU-2 floors 5-8"),
                    (K.BOILER, "Heating boiler B-1"),
                ),
            ),
        ),
    ),
    CustomerPlan(
        CustomerKind.COMMERCIAL,
        "church",
        (
            SitePlan(
                "church",
                _units(
                    (K.FURNACE, "Sanctuary furnace"),
                    (K.AIR_CONDITIONER, "Sanctuary AC condenser"),
                    (K.FURNACE, "Fellowship hall furnace"),
                    (K.AIR_CONDITIONER, "Fellowship hall AC condenser"),
                ),
            ),
        ),
    ),
    CustomerPlan(
        CustomerKind.COMMERCIAL,
        "clinic",
        (
            SitePlan(
                "clinic",
                _units(
                    (K.ROOFTOP_UNIT, "RTU-1 front office"),
                    (K.ROOFTOP_UNIT, "RTU-2 operatories"),
                    (K.MINI_SPLIT, "Server closet mini-split"),
                ),
            ),
        ),
    ),
    CustomerPlan(
        CustomerKind.COMMERCIAL,
        "hotel",
        (
            SitePlan(
                "hotel",
                _units(
                    (K.ICE_MACHINE, "Ice machine, 1st floor"),
                    (K.ICE_MACHINE, "Ice machine, 2nd floor"),
                    (K.ICE_MACHINE, "Ice machine, 3rd floor"),
                    (K.BOILER, "Domestic hot water boiler"),
                    (K.ROOFTOP_UNIT, "RTU-1 lobby"),
                    (K.WALK_IN_COOLER, "Breakfast bar walk-in cooler"),
                ),
            ),
        ),
    ),
    CustomerPlan(
        CustomerKind.COMMERCIAL,
        "property_manager",
        (
            SitePlan(
                "apartments",
                _units(
                    (K.BOILER, "Boiler 1"),
                    (K.BOILER, "Boiler 2"),
                    (K.ROOFTOP_UNIT, "Leasing office RTU"),
                    (K.MINI_SPLIT, "Fitness room mini-split"),
                ),
            ),
            SitePlan(
                "apartments",
                _units(
                    (K.FURNACE, "Clubhouse furnace"),
                    (K.AIR_CONDITIONER, "Clubhouse AC condenser"),
                    (K.HEAT_PUMP, "Unit 12 heat pump"),
                    (K.HEAT_PUMP, "Unit 14 heat pump"),
                ),
            ),
            SitePlan(
                "apartments",
                _units(
                    (K.FURNACE, "Model unit furnace"),
                    (K.AIR_CONDITIONER, "Model unit AC condenser"),
                    (K.WATER_HEATER, "Laundry room water heater"),
                ),
            ),
            SitePlan(
                "office_park",
                _units(
                    (K.ROOFTOP_UNIT, "RTU-1"),
                    (K.ROOFTOP_UNIT, "RTU-2"),
                    (K.ROOFTOP_UNIT, "RTU-3"),
                ),
            ),
            SitePlan(
                "office_park",
                _units(
                    (K.ROOFTOP_UNIT, "RTU-1"),
                    (K.ROOFTOP_UNIT, "RTU-2"),
                    (K.MINI_SPLIT, "Server room mini-split"),
                ),
            ),
        ),
    ),
)
