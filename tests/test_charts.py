"""The dashboard's SVG bar charts: bars as long as their values, every label and value written,
a table for screen readers, and words instead of empty axes; and the dashboard shows them to
the roles whose figures they are."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from app.charts import Bar, axis_ticks, bar_chart
from app.models.enums import RequestSource, StaffRole
from tests import factories as f

SVG = "{http://www.w3.org/2000/svg}"


def _figure(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314  (our own SVG, drawn by the test)


def _svg(markup) -> ET.Element:
    return _figure(markup).find(f"{SVG}svg")


def test_bars_are_proportional_to_their_values():
    chart = bar_chart(
        "Work orders per technician",
        [Bar("Ana", 8), Bar("Ben", 4), Bar("Cy", 1), Bar("Dee", 0)],
        headers=("Technician", "Work orders"),
        empty="None",
    )
    widths = [float(rect.get("width")) for rect in _svg(chart).iter(f"{SVG}rect")]
    assert widths[0] > 0 and widths[3] == 0
    assert widths[1] / widths[0] == 0.5
    assert widths[2] / widths[0] == 1 / 8


def test_labels_values_axis_and_titles_are_written():
    chart = bar_chart(
        "Unpaid invoices by age",
        [Bar("Not yet due", 7793.5), Bar("More than 90 days late", 2851)],
        headers=("Age", "Balance"),
        empty="Nothing is owed.",
        fmt=lambda value: f"${value:,.0f}",
    )
    svg = _svg(chart)
    assert svg.get("role") == "img"
    title_id = svg.get("aria-labelledby")
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}title").text == "Unpaid invoices by age"
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "Not yet due" in texts and "$7,794" in texts and "$2,851" in texts
    assert "More than 90 day…" in texts  # shortened in the picture, whole in the table
    assert {"$0", "$2,000", "$8,000"} <= set(texts)  # the value axis' ticks
    bar_titles = [g.find(f"{SVG}title").text for g in svg.iter(f"{SVG}g")]
    assert bar_titles == ["Not yet due: $7,794", "More than 90 days late: $2,851"]
    table = _figure(chart).find("div/table")
    assert table.find("caption").text == "Unpaid invoices by age"
    assert [th.text for th in table.iter("th")] == [
        "Age",
        "Balance",
        "Not yet due",
        "More than 90 days late",
    ]


def test_labels_are_escaped():
    chart = bar_chart("A<b>", [Bar("<script>x</script>", 1)], headers=("a", "b"), empty="-")
    assert "<script>" not in str(chart) and "&lt;script&gt;" in str(chart)


def test_an_empty_chart_says_so_instead_of_drawing_axes():
    for bars in ([], [Bar("QR sticker", 0), Bar("Phone", 0)]):
        chart = bar_chart("Requests", bars, headers=("Source", "Requests"), empty="No requests.")
        figure = _figure(chart)
        assert figure.find(f"{SVG}svg") is None
        assert figure.find("p").text == "No requests."
        assert figure.find("figcaption").text == "Requests"


def test_ticks_are_round_numbers_reaching_the_largest_value():
    assert axis_ticks(3, whole=True) == [0, 1, 2, 3]
    assert axis_ticks(6, whole=True) == [0, 2, 4, 6]
    assert axis_ticks(27352, whole=True) == [0, 10000, 20000, 30000]
    assert axis_ticks(0.3, whole=True) == [0, 1]


def test_the_office_sees_the_four_charts(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        f.CompanySettingsFactory()
        tech = f.StaffUserFactory(role=StaffRole.TECHNICIAN, name="Terry Tech")
        f.WorkOrderFactory(technician=tech, visit_at=datetime.now(UTC))
        f.ServiceRequestFactory(source=RequestSource.PORTAL)
        invoice = f.InvoiceFactory(total_cents=57300, amount_paid_cents=12300)
        moment = datetime.now(UTC) - timedelta(hours=1)
        f.PaymentFactory(invoice=invoice, amount_cents=12300, received_at=moment)
    page = client.get("/admin/").text
    for title in (
        "Unpaid invoices by age",
        "Payments received by month",
        "Work orders per technician this week",
        "Service requests by source, last 30 days",
    ):
        assert f'<figcaption class="h6">{title}</figcaption>' in page, title
    figures = [part.split("</figure>")[0] for part in page.split('<figure class="chart">')[1:]]
    assert len(figures) == 4 and all("<svg" in one and "<script" not in one for one in figures)
    assert "Terry Tech" in page and "$123" in page and "$450" in page


def test_a_technician_sees_no_charts_of_money_or_colleagues(app, client, login_as):
    login_as("technician")
    with app.app_context():
        f.CompanySettingsFactory()
        f.PaymentFactory(amount_cents=12300)
    page = client.get("/admin/").text
    assert "<svg" not in page and "Payments received" not in page and "$123" not in page
