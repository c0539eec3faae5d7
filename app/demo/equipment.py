"""What each kind of demo equipment is like: makes and models, refrigerant, warranty, upkeep."""

from dataclasses import dataclass

from app.models.enums import ApplianceType, ChargeMethod, UnitKind

K = UnitKind
COMFORT = ApplianceType.COMFORT_COOLING
REFRIGERATION = ApplianceType.COMMERCIAL_REFRIGERATION


@dataclass(frozen=True)
class UnitSpec:
    label: str  # how a technician says it: "furnace", "walk-in freezer"
    models: tuple[tuple[str, str], ...]  # (manufacturer, model number)
    # (installed before this year, refrigerant); empty for equipment without refrigerant
    refrigerants: tuple[tuple[int, str], ...] = ()
    charge_lb: tuple[float, float] = (0, 0)
    appliance: ApplianceType | None = None
    charge_method: ChargeMethod | None = None
    interval_months: int = 12
    parts_warranty_years: int = 10
    repairs_per_year: float = 0.45
    installed_price_cents: int = 0  # equipment price on an install or replacement quote
    install_hours: int = 8

    @property
    def uses_refrigerant(self) -> bool:
        return bool(self.refrigerants)

    def refrigerant_for(self, install_year: int) -> str:
        """The refrigerant a unit of this kind installed in `install_year` was built for."""
        return next((gas for before, gas in self.refrigerants if install_year < before), "")


SPLIT_ERA = ((2010, "R-22"), (2025, "R-410A"), (9999, "R-454B"))

UNIT_SPECS: dict[UnitKind, UnitSpec] = {
    K.FURNACE: UnitSpec(
        "furnace",
        (
            ("Carrier", "59SC5A080E17--16"),
            ("Trane", "S9V2B080U3PSA"),
            ("Lennox", "EL296UH070XV36B"),
            ("Goodman", "GMVC961205DN"),
            ("Rheem", "R96VA0852521MSA"),
            ("Bryant", "915SB42060E17"),
        ),
        repairs_per_year=0.5,
        installed_price_cents=385000,
    ),
    K.AIR_CONDITIONER: UnitSpec(
        "air conditioner",
        (
            ("Carrier", "24ACC636A003"),
            ("Trane", "4TTR6036J1000A"),
            ("Lennox", "EL16XC1-036"),
            ("Goodman", "GSXN403610"),
            ("Rheem", "RA1736AJ1NA"),
        ),
        SPLIT_ERA,
        (6, 12),
        COMFORT,
        ChargeMethod.MANUFACTURER,
        repairs_per_year=0.5,
        installed_price_cents=465000,
    ),
    K.HEAT_PUMP: UnitSpec(
        "heat pump",
        (
            ("Carrier", "25HCE436A003"),
            ("Trane", "4TWR6036H1000A"),
            ("Goodman", "GSZH503610"),
            ("Lennox", "EL18XPV-036"),
        ),
        SPLIT_ERA,
        (7, 13),
        COMFORT,
        ChargeMethod.MANUFACTURER,
        interval_months=6,
        repairs_per_year=0.6,
        installed_price_cents=695000,
        install_hours=10,
    ),
    K.MINI_SPLIT: UnitSpec(
        "mini-split",
        (
            ("Mitsubishi", "MUZ-GL12NA"),
            ("Daikin", "RXB12AXVJU"),
            ("Fujitsu", "AOU12RLS3H"),
            ("LG", "LSU120HSV5"),
        ),
        ((2020, "R-410A"), (9999, "R-32")),
        (2, 4),
        COMFORT,
        ChargeMethod.MANUFACTURER,
        parts_warranty_years=12,
        repairs_per_year=0.3,
        installed_price_cents=325000,
        install_hours=6,
    ),
    K.BOILER: UnitSpec(
        "boiler",
        (
            ("Weil-McLain", "CGa-4"),
            ("Burnham", "ES2-5"),
            ("Lochinvar", "KBN106"),
            ("Navien", "NHB-110"),
        ),
        repairs_per_year=0.45,
        installed_price_cents=625000,
        install_hours=12,
    ),
    K.ROOFTOP_UNIT: UnitSpec(
        "rooftop unit",
        (
            ("Carrier", "48FCEM06A2A6"),
            ("Trane", "YSC072A4RHA"),
            ("Lennox", "LGH120H4B"),
            ("York", "ZF078N10"),
        ),
        SPLIT_ERA,
        (10, 25),
        COMFORT,
        ChargeMethod.MANUFACTURER,
        interval_months=3,
        parts_warranty_years=5,
        repairs_per_year=0.9,
        installed_price_cents=1450000,
        install_hours=16,
    ),
    K.CHILLER: UnitSpec(
        "chiller",
        (("Trane", "CGAM070"), ("Carrier", "30XV140"), ("York", "YVAA0150")),
        ((2022, "R-134a"), (9999, "R-513A")),
        (180, 320),
        COMFORT,
        ChargeMethod.MEASUREMENT,
        interval_months=3,
        parts_warranty_years=5,
        repairs_per_year=1.2,
        installed_price_cents=18500000,
        install_hours=80,
    ),
    K.WALK_IN_COOLER: UnitSpec(
        "walk-in cooler",
        (("Heatcraft", "PTN030L2A"), ("KeepRite", "K-CU030M"), ("Copeland", "X-Line XJAL-0300")),
        ((2018, "R-404A"), (9999, "R-448A")),
        (8, 20),
        REFRIGERATION,
        ChargeMethod.CALCULATION,
        interval_months=3,
        parts_warranty_years=5,
        repairs_per_year=1.2,
        installed_price_cents=680000,
        install_hours=14,
    ),
    K.WALK_IN_FREEZER: UnitSpec(
        "walk-in freezer",
        (("Heatcraft", "MOH035X62CF"), ("KeepRite", "K-CU040L"), ("Copeland", "X-Line XJAL-0400")),
        ((2018, "R-404A"), (9999, "R-448A")),
        (12, 24),
        REFRIGERATION,
        ChargeMethod.CALCULATION,
        interval_months=3,
        parts_warranty_years=5,
        repairs_per_year=1.3,
        installed_price_cents=740000,
        install_hours=14,
    ),
    K.REACH_IN_REFRIGERATOR: UnitSpec(
        "reach-in refrigerator",
        (("True", "T-49-HC"), ("Traulsen", "G20010"), ("Beverage-Air", "HBR49HC-1")),
        ((2016, "R-134a"), (9999, "R-290")),
        (0.3, 0.6),
        REFRIGERATION,
        ChargeMethod.MANUFACTURER,
        interval_months=6,
        parts_warranty_years=5,
        repairs_per_year=0.7,
        installed_price_cents=520000,
        install_hours=3,
    ),
    K.ICE_MACHINE: UnitSpec(
        "ice machine",
        (("Manitowoc", "IYT0620A"), ("Hoshizaki", "KM-660MAJ"), ("Scotsman", "C0630MA-1")),
        ((2022, "R-404A"), (9999, "R-290")),
        (1.2, 2.8),
        REFRIGERATION,
        ChargeMethod.MANUFACTURER,
        interval_months=6,
        parts_warranty_years=5,
        repairs_per_year=1.3,
        installed_price_cents=590000,
        install_hours=5,
    ),
    K.WATER_HEATER: UnitSpec(
        "water heater",
        (("A. O. Smith", "GCR-50"), ("Bradford White", "RG250T6N"), ("Rheem", "XG50T06EC36U1")),
        parts_warranty_years=6,
        repairs_per_year=0.3,
        installed_price_cents=185000,
        install_hours=5,
    ),
    K.AIR_HANDLER: UnitSpec(
        "air handler",
        (("Carrier", "FV4CNF003"), ("Trane", "TAM9A0C36V31"), ("Goodman", "AMST36CU1400")),
        parts_warranty_years=10,
        repairs_per_year=0.3,
        installed_price_cents=240000,
        install_hours=6,
    ),
}

# Refrigerant sold by the pound, in cents (what the customer is charged).
REFRIGERANT_PRICE_CENTS = {
    "R-22": 17500,
    "R-410A": 9500,
    "R-454B": 13500,
    "R-32": 11000,
    "R-404A": 11500,
    "R-448A": 12500,
    "R-134a": 8500,
    "R-513A": 12500,
    "R-290": 6000,
}

LEAK_LOCATIONS = (
    "evaporator coil return bend",
    "Schrader core on the suction service valve",
    "flare nut at the indoor unit",
    "braze joint at the TXV inlet",
    "condenser coil tube sheet",
    "liquid line filter drier",
    "evaporator fan-side distributor tube",
)
