"""The contractor's own settings: one row, edited by admins and managers."""

from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Numeric, String, Text, Time, false, true
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import enum_column
from app.models.enums import StickerUnitText, TwoFactorPolicy

DEFAULT_ARRIVAL_WINDOWS = "08:00-10:00,10:00-12:00,12:00-14:00,14:00-16:00"


class CompanySettings(db.Model):
    __tablename__ = "company_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="Your HVAC Company")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="America/Chicago")
    logo_key: Mapped[str | None] = mapped_column(String(255))
    brand_color: Mapped[str] = mapped_column(String(7), default="#0b5cad")
    tax_rate_percent: Mapped[Decimal] = mapped_column(Numeric(6, 3), default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # Part 84 appliances installed on or after 2026-01-01: the first leak-rate calculation
    # counts the days since installation (conservative, the default) or 365 days (the literal
    # reading of 84.106(b)(1)); the rule is unsettled (reference §10.2).
    part84_first_calculation_365_days: Mapped[bool] = mapped_column(default=False)
    # Which staff must sign in with an authenticator app as well as their password.
    two_factor_required: Mapped[TwoFactorPolicy] = enum_column(
        TwoFactorPolicy, default=TwoFactorPolicy.NOBODY
    )
    # Sticker labels print the unit's name and property in small text beside the code, so a
    # sheet can be matched to the units; residential unit names may be private.
    sticker_unit_text: Mapped[StickerUnitText] = enum_column(
        StickerUnitText,
        default=StickerUnitText.COMMERCIAL_ONLY,
        server_default=StickerUnitText.COMMERCIAL_ONLY.value,
    )

    # The arrival windows customers are offered, local "HH:MM-HH:MM" ranges separated by
    # commas (app.services.availability reads them); how many days ahead a customer may book;
    # how many hours' notice a booking needs.
    arrival_windows: Mapped[str] = mapped_column(
        String(200), default=DEFAULT_ARRIVAL_WINDOWS, server_default=DEFAULT_ARRIVAL_WINDOWS
    )
    booking_days_ahead: Mapped[int] = mapped_column(default=14, server_default="14")
    booking_notice_hours: Mapped[int] = mapped_column(default=24, server_default="24")
    # Portal users pick one of the open windows themselves (off: they name preferred days and
    # the office books).
    portal_self_booking: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Visit reminders go this many hours before the arrival window starts (the day before),
    # never during the quiet hours (company time; a reminder due then waits until they end;
    # the same start and end: no quiet hours).
    reminder_hours_before: Mapped[int] = mapped_column(default=24, server_default="24")
    quiet_hours_start: Mapped[time] = mapped_column(
        Time, default=time(21), server_default="21:00:00"
    )
    quiet_hours_end: Mapped[time] = mapped_column(Time, default=time(8), server_default="08:00:00")
    # Anyone at a unit's sticker picks an open window too: the visit is tentative, holding the
    # slot until the office confirms it, and released after tentative_hold_minutes.
    sticker_booking: Mapped[bool] = mapped_column(default=False, server_default=false())
    tentative_hold_minutes: Mapped[int] = mapped_column(default=120, server_default="120")
    # Technicians record lines from the price book; with this on they may also set a line's
    # price (otherwise the price comes from the book, or the office sets it).
    technicians_may_price: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Lines typed in freely, not chosen from the price book (off: every line is a book item).
    free_lines_allowed: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Completing a job drafts its invoice; with this on the invoice is issued at once (in the
    # portal, payable, the customer told), otherwise it waits for the office to issue it.
    invoice_at_once: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Invoices issued from a job are due this many days after they are issued.
    invoice_due_days: Mapped[int] = mapped_column(default=30, server_default="30")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def __str__(self) -> str:
        return self.name
