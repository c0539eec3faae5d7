"""The portal's leak-rate chart: a server-drawn SVG with a value axis in %, each reading at its
date (written in words in the reader's language) with its value, the appliance's limit as a
labelled dashed line, and the same readings as a table for screen readers."""

import xml.etree.ElementTree as ET
from datetime import date

from bs4 import BeautifulSoup

from app.charts import Limit, Reading, line_chart
from app.models.enums import CustomerKind
from tests import factories as f
from tests.portal_helpers import sign_in_portal, walk_in_with_a_leak

SVG = "{http://www.w3.org/2000/svg}"


def _reading(day: date, value: float, over: bool = False) -> Reading:
    return Reading(
        day, (day.strftime("%b %-d"), str(day.year)), day.isoformat(), value, f"{value:.2f}%", over
    )


TEN = Limit(10, "10% limit")


def _chart(readings, limit=TEN) -> ET.Element:
    markup = line_chart(
        "Leak rate",
        readings,
        limit=limit,
        headers=("Date", "Leak rate", "Over the limit"),
        answers=("Yes", "No"),
        fmt=lambda value: f"{value:g}%",
    )
    return ET.fromstring(str(markup))  # noqa: S314  (our own SVG, drawn by the test)


def _texts(svg: ET.Element, kind: str) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == kind]


def test_points_sit_at_their_values_and_the_limit_line_at_its_own():
    readings = [
        _reading(date(2026, 1, 5), 4.0),
        _reading(date(2026, 3, 1), 12.5, over=True),
        _reading(date(2026, 9, 1), 8.25),
    ]
    svg = _chart(readings).find(f"{SVG}svg")
    assert _texts(svg, "tick") == ["0%", "5%", "10%", "15%"]
    grid = {float(line.get("y1")) for line in svg.iter(f"{SVG}line") if line.get("class") == "grid"}
    bottom, top = max(grid), min(grid)  # 0% and 15%
    limit = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "limit")
    limit_y = float(limit.find(f"{SVG}line").get("y1"))
    assert abs(limit_y - (bottom - (bottom - top) * 10 / 15)) < 0.1
    assert limit.find(f"{SVG}text").text == "10% limit"

    points = [g for g in svg.iter(f"{SVG}g") if g.get("class", "").startswith("reading")]
    assert len(points) == 3
    assert [g.get("class") for g in points] == ["reading", "reading over", "reading"]
    for point, reading in zip(points, readings, strict=True):
        height = bottom - float(point.find(f"{SVG}circle").get("cy"))
        assert abs(height - (bottom - limit_y) * reading.value / 10) < 0.1
    assert _texts(svg, "value") == ["4.00%", "12.50%", "8.25%"]
    assert _texts(svg, "date") == ["Jan 52026", "Mar 12026", "Sep 12026"]
    xs = [float(g.find(f"{SVG}circle").get("cx")) for g in points]
    assert abs((xs[1] - xs[0]) / (xs[2] - xs[1]) - 55 / 184) < 0.01  # days apart


def test_the_table_repeats_every_reading_and_crowded_dates_leave_the_axis():
    readings = [_reading(date(2026, 3, day), 6.0 + day / 10) for day in (1, 2, 30)]
    figure = _chart(readings, limit=None)
    svg = figure.find(f"{SVG}svg")
    # a day apart, a month before the latest: the later one of the two is written
    assert _texts(svg, "date") == ["Mar 22026", "Mar 302026"]
    assert not [g for g in svg.iter(f"{SVG}g") if g.get("class") == "limit"]
    rows = [[cell.text for cell in row] for row in figure.find("div/table").find("tbody")]
    assert rows == [
        ["2026-03-01", "6.10%", "No"],
        ["2026-03-02", "6.20%", "No"],
        ["2026-03-30", "9.00%", "No"],
    ]


def _leaking_walk_in(app) -> tuple[int, int]:
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(kind=CustomerKind.COMMERCIAL)
        unit = walk_in_with_a_leak(customer)
        return unit.id, f.PortalUserFactory(customer=customer).id


def _portal_chart(client, unit_id: int, language: str = "en") -> BeautifulSoup:
    answer = client.get(f"/portal/compliance/{unit_id}", headers={"Accept-Language": language})
    page = BeautifulSoup(answer.text, "html.parser")
    return page.find("figure", class_="chart")


def test_the_portal_draws_the_units_readings_against_its_limit(app, client):
    unit_id, user_id = _leaking_walk_in(app)
    sign_in_portal(client, user_id)
    chart = _portal_chart(client, unit_id)
    svg = chart.find("svg")
    assert svg["role"] == "img" and svg.title.text == chart.figcaption.text
    assert [t.get_text(" ") for t in svg.select("text.date")] == ["Mar 1 2026", "Apr 1 2026"]
    assert [t.text for t in svg.select("text.value")] == ["12.50%", "73.59%"]
    assert svg.select_one(".limit text").text == "20% limit"  # commercial refrigeration
    assert [g["class"] for g in svg.select("g[class^=reading]")] == [
        ["reading"],
        ["reading", "over"],
    ]
    assert [t.text for t in svg.select("text.tick")][-1] == "80%"
    rows = [[cell.text for cell in row.find_all(["th", "td"])] for row in chart.select("tbody tr")]
    assert rows == [["Mar 1, 2026", "12.50%", "No"], ["Apr 1, 2026", "73.59%", "Yes"]]
    assert [th.text for th in chart.select("thead th")] == ["Date", "Leak rate", "Over the limit"]


def test_the_chart_speaks_spanish_to_a_spanish_reader(app, client):
    unit_id, user_id = _leaking_walk_in(app)
    sign_in_portal(client, user_id)
    chart = _portal_chart(client, unit_id, "es")
    assert [t.get_text(" ") for t in chart.select("text.date")] == ["1 mar 2026", "1 abr 2026"]
    assert chart.select_one(".limit text").text == "límite del 20 %"
    rows = [[cell.text for cell in row.find_all(["th", "td"])] for row in chart.select("tbody tr")]
    assert rows[1] == ["1 abr 2026", "73.59%", "Sí"]
