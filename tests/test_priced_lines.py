"""The portal's line table for quotes and invoices: lines, money, tax rate, extra rows."""

from decimal import Decimal

from flask import render_template_string

from tests.helpers import coil_and_labour_invoice

TEMPLATE = """{% from "_priced_lines.html" import priced_lines %}
{{ priced_lines(invoice.lines, invoice, "USD", rate, extra) }}"""

CHOOSING = """{% from "_priced_lines.html" import priced_lines %}
{% call(line) priced_lines(invoice.lines, invoice, "USD", rate) %}
<input type="checkbox" value="{{ line.id }}" aria-labelledby="line-{{ line.id }}-description">
{% endcall %}"""


def _render(app, template, **context):
    with app.test_request_context("/portal/"):
        return render_template_string(template, **context)


def test_lines_totals_and_extra_rows_read_as_money(app_ctx, app):
    html = _render(
        app,
        TEMPLATE,
        invoice=coil_and_labour_invoice("Condenser coil"),
        rate=Decimal("8.250"),
        extra=[("Paid", 50000), ("Balance due", 86666)],
    )
    assert "Condenser coil" in html and "Part" in html
    assert "$1,180.00" in html and "0.5" in html and "$82.50" in html
    assert "$1,262.50" in html and "Tax (8.25%)" in html and "$104.16" in html
    assert "$1,366.66" in html
    assert "Paid" in html and "$500.00" in html
    assert '<tr class="strong"><th scope="row" colspan="4">Balance due</th>' in html
    assert 'data-label="Unit price"' in html  # the phone layout labels each value


def test_a_block_adds_a_choice_cell_to_every_line(app_ctx, app):
    invoice = coil_and_labour_invoice("Condenser coil")
    html = _render(app, CHOOSING, invoice=invoice, rate=Decimal("0"))
    for line in invoice.lines:
        assert f'value="{line.id}" aria-labelledby="line-{line.id}-description"' in html
        assert f'id="line-{line.id}-description"' in html
    assert "Tax (0%)" in html and 'colspan="5"' in html


def test_a_note_reads_under_its_lines_description(app_ctx, app):
    invoice = coil_and_labour_invoice("Condenser coil")
    first, second = invoice.lines
    template = """{% from "_priced_lines.html" import priced_lines %}
    {{ priced_lines(invoice.lines, invoice, "USD", rate, labels, notes=notes) }}"""
    html = _render(app, template, invoice=invoice, rate=Decimal("5"), notes={first.id: "Add-on"})
    assert '<span class="muted small">Add-on</span>' in html and html.count("muted small") == 1
    assert f'data-line-id="{second.id}" data-amount-cents="8250"' in html
