"""What every step of the demo builder shares: the seeded random source, the clock, the writer."""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from app.demo.writer import RowWriter

HISTORY_DAYS = 730  # two years of work behind "today"
LOOKAHEAD_DAYS = 14  # and two weeks of schedule ahead of it

T = TypeVar("T")


@dataclass
class Demo:
    """The seeded random source, "now" in the company's time zone, and where rows go."""

    rng: random.Random
    now: datetime  # aware
    zone: ZoneInfo
    tax_rate_percent: Decimal
    writer: RowWriter
    today: date = field(init=False)
    history_start: date = field(init=False)

    def __post_init__(self) -> None:
        self.today = self.now.astimezone(self.zone).date()
        self.history_start = self.today - timedelta(days=HISTORY_DAYS)

    def at(self, day: date, hour: float) -> datetime:
        """The UTC moment of a wall-clock hour (9.5 is 9:30) on a day in the company's zone."""
        minutes = round(hour * 60)
        local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.zone)
        return local.astimezone(UTC)

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def pick(self, choices: Sequence[T]) -> T:
        return self.rng.choice(choices)

    def day_between(self, first: date, last: date) -> date:
        """A random day from `first` to `last`, both included."""
        return first + timedelta(days=self.rng.randint(0, max((last - first).days, 0)))

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        """A random moment from `start` to `end`, to the minute."""
        minutes = max(int((end - start).total_seconds() // 60), 0)
        return start + timedelta(minutes=self.rng.randint(0, minutes))


def next_weekday(day: date) -> date:
    """The day itself, or the Monday after it when it falls on a weekend."""
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
