"""Quotes, invoices and payment receipts as PDFs.

Pure: plain data in (the dataclasses below, every word already in the reader's language),
PDF bytes out; nothing here knows about Flask or the database (reports.billing turns records
into this data). Every document has the same body: the company's header with its logo, the
document's name, number and dates, the customer and the service address, the line items and
the totals. `quote_pdf` adds the signature and an audit page when the quote was signed,
`invoice_pdf` the status, amount paid and balance due, `receipt_pdf` the payment.
"""

import io
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from app import pdf_kit as kit
from app.formatting import local_datetime, money
from app.pdf_kit import RULE, SHADE, Letterhead

PAGE_SIZE = LETTER
MARGIN = 0.6 * inch
WIDTH = PAGE_SIZE[0] - 2 * MARGIN
FOOTER = kit.Footer(PAGE_SIZE[0], MARGIN, y=0.35 * inch)
SIGNATURE_BOX = (3.2 * inch, 1.1 * inch)


@dataclass(frozen=True)
class Line:
    """One priced line; `kind` and `note` are words for the reader ("Labor", "Add-on")."""

    description: str
    kind: str
    quantity: Decimal
    unit_price_cents: int
    amount_cents: int
    note: str = ""


@dataclass(frozen=True)
class Words:
    """Every label the PDFs print, in the reader's language."""

    customer: str
    service_address: str
    description: str
    kind: str
    quantity: str
    unit_price: str
    amount: str
    subtotal: str
    total: str
    notes: str
    page: str
    status: str
    paid: str
    balance_due: str
    receipt: str
    payment: str
    amount_paid: str
    method: str
    reference: str
    stripe_reference: str
    payment_date: str
    remaining_balance: str
    signature: str
    signed_by: str
    signed_at_local: str
    signed_at_utc: str
    client_address: str
    user_agent: str
    signature_method: str
    chosen_options: str
    options_not_chosen: str
    none: str
    agreed_to: str
    content_hash: str
    hash_note: str
    audit_heading: str


@dataclass(frozen=True)
class PricedDocument:
    """The common body: who, what, when, where, the lines and the totals."""

    company: Letterhead
    heading: str  # "Quote", "Invoice", "Receipt"
    number: str
    facts: tuple[tuple[str, str], ...]  # (label, value): dates, validity
    customer: tuple[str, ...]  # the name, then address lines
    place: tuple[str, ...]  # the service address lines, then the unit
    lines: tuple[Line, ...]
    currency: str
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    tax_label: str  # "Tax (8.25%)"
    words: Words
    title: str = ""  # what it is for ("Replace the condenser")
    notes: str = ""


@dataclass(frozen=True)
class InvoiceDocument:
    document: PricedDocument
    status: str  # a word for the reader ("Open", "Paid")
    paid_cents: int
    balance_cents: int


@dataclass(frozen=True)
class PaymentRecord:
    """One payment of an invoice, for its receipt."""

    amount_cents: int
    method: str  # a word for the reader ("Card")
    reference: str  # "Visa ending 4242", a check number
    stripe_reference: str  # the Stripe payment intent or charge id, if any
    received_at: datetime  # aware, in the company's time zone
    balance_after_cents: int  # what was still owed once this payment was in


@dataclass(frozen=True)
class Signature:
    """How a quote was approved: who, when, from where, what they chose, what they saw."""

    signer: str
    method: str  # a word for the reader ("Drawn on screen", "Typed name")
    image: bytes | None  # the drawn signature (PNG); None for a typed-name signature
    signed_at: datetime  # aware, in the company's time zone
    client_address: str
    user_agent: str
    chosen: tuple[str, ...]  # the options and add-ons the signer chose
    not_chosen: tuple[str, ...]
    consent: str  # the consent line they agreed to
    content_sha256: str  # of the quote exactly as it was shown to them


def quote_pdf(data: PricedDocument, approval: Signature | None = None) -> bytes:
    """A quote; with `approval`, signed: the signature under the totals and an audit page."""
    builder = Builder(data)
    story = builder.body()
    if approval is not None:
        story += builder.signature(approval) + builder.audit_page(approval)
    return builder.build(story)


def invoice_pdf(data: InvoiceDocument) -> bytes:
    """An invoice with its status, what was paid and the balance due."""
    builder = Builder(data.document)
    words = data.document.words
    story = builder.body(
        extra_facts=((words.status, data.status),),
        extra_totals=((words.paid, data.paid_cents), (words.balance_due, data.balance_cents)),
    )
    return builder.build(story)


def receipt_pdf(data: InvoiceDocument, payment: PaymentRecord) -> bytes:
    """A receipt for one payment of an invoice: the payment first, then the invoice's body."""
    words = data.document.words
    builder = Builder(replace(data.document, heading=words.receipt))
    rows = [
        (words.amount_paid, builder.money(payment.amount_cents)),
        (words.method, payment.method),
        (words.reference, payment.reference),
        (words.stripe_reference, payment.stripe_reference),
        (words.payment_date, local_datetime(payment.received_at)),
        (words.remaining_balance, builder.money(payment.balance_after_cents)),
    ]
    block = [
        Paragraph(escape(words.payment), builder.styles.h2),
        builder.facts_table([(label, value) for label, value in rows if value]),
        Spacer(1, 10),
    ]
    story = builder.body(
        extra_facts=((words.status, data.status),),
        extra_totals=((words.paid, data.paid_cents), (words.balance_due, data.balance_cents)),
        before_lines=block,
    )
    return builder.build(story)


class _Styles:
    def __init__(self, brand: colors.Color) -> None:
        base = getSampleStyleSheet()
        self.body = ParagraphStyle("Body", parent=base["BodyText"], fontSize=9.5, leading=12)
        self.small = ParagraphStyle("Small", parent=self.body, fontSize=8, leading=10)
        self.muted = ParagraphStyle("Muted", parent=self.small, textColor=colors.HexColor("#555"))
        self.company = ParagraphStyle(
            "Company", parent=self.body, fontName=kit.FONT_BOLD, fontSize=13, leading=16
        )
        self.heading = ParagraphStyle(
            "Heading", parent=base["Title"], alignment=0, fontSize=20, leading=24, textColor=brand
        )
        self.h2 = ParagraphStyle(
            "H2", parent=base["Heading3"], fontSize=11, spaceBefore=6, keepWithNext=1
        )
        self.label = ParagraphStyle("Label", parent=self.small, fontName=kit.FONT_BOLD)
        self.mono = ParagraphStyle("Mono", parent=self.small, fontName=kit.FONT_MONO, fontSize=7.5)
        self.typed = ParagraphStyle(
            "Typed", parent=self.body, fontName=kit.FONT_ITALIC, fontSize=20, leading=24
        )


GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), kit.FONT, 8.5),
        ("FONT", (0, 0), (-1, 0), kit.FONT_BOLD, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


class Builder:
    """The common body of a priced document (and a signed quote's signature), for the
    builders here and for reports.work_order_pdf."""

    def __init__(self, data: PricedDocument) -> None:
        self.data = data
        self.words = data.words
        self.styles = _Styles(kit.brand_color(data.company.brand_color))

    def para(self, text: str, style=None) -> Paragraph:
        return kit.paragraph(text, style or self.styles.body)

    def money(self, cents: int) -> str:
        return money(cents, self.data.currency)

    def facts_table(self, rows) -> Table:
        """Label / value rows; a value is text, or flowables already styled."""
        return kit.facts_table(rows, width=WIDTH, label=self.styles.label, value=self.styles.body)

    # The common body, in order

    def body(self, *, extra_facts=(), extra_totals=(), before_lines=()) -> list[Flowable]:
        data = self.data
        story = [self.header(), Spacer(1, 14), self.para(data.heading, self.styles.heading)]
        story.append(self.para(data.number, self.styles.company))
        if data.title:
            story.append(self.para(data.title))
        story += [Spacer(1, 6), self.facts_table((*data.facts, *extra_facts)), Spacer(1, 10)]
        story += [self.parties(), Spacer(1, 12), *before_lines]
        story += [self.line_table(), Spacer(1, 6), self.totals(extra_totals)]
        if data.notes:
            story += [Paragraph(escape(self.words.notes), self.styles.h2), self.para(data.notes)]
        return story

    def header(self) -> Table:
        return kit.brand_header(
            self.data.company, width=WIDTH, name=self.styles.company, contact=self.styles.small
        )

    def parties(self) -> Table:
        data, words, s = self.data, self.words, self.styles
        cells = []
        for label, lines in ((words.customer, data.customer), (words.service_address, data.place)):
            cells.append(
                [Paragraph(escape(label), s.label), *[self.para(text) for text in lines if text]]
                if any(lines)
                else ""
            )
        table = Table([cells], colWidths=[WIDTH / 2, WIDTH / 2], hAlign="LEFT")
        table.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        return table

    def line_table(self) -> Table:
        words, s = self.words, self.styles
        rows = [[words.description, words.kind, words.quantity, words.unit_price, words.amount]]
        for line in self.data.lines:
            description = [self.para(line.description)]
            if line.note:
                description.append(self.para(line.note, s.muted))
            rows.append(
                [
                    description,
                    self.para(line.kind, s.small),
                    f"{line.quantity.normalize():f}",
                    self.money(line.unit_price_cents),
                    self.money(line.amount_cents),
                ]
            )
        widths = [3.55 * inch, 1.0 * inch, 0.6 * inch, 1.0 * inch, 1.15 * inch]
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(GRID)
        return table

    def totals(self, extra=()) -> Table:
        data = self.data
        rows = [
            (self.words.subtotal, data.subtotal_cents),
            (data.tax_label, data.tax_cents),
            (self.words.total, data.total_cents),
            *extra,
        ]
        table = Table(
            [[label, self.money(cents)] for label, cents in rows],
            colWidths=[2.0 * inch, 1.15 * inch],
            hAlign="RIGHT",
        )
        strong = len(rows) - 1
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), kit.FONT, 9),
                    ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                    ("LINEABOVE", (0, 2), (-1, 2), 0.75, RULE),
                    ("FONT", (0, strong), (-1, strong), kit.FONT_BOLD, 10),
                    ("FONT", (0, 2), (-1, 2), kit.FONT_BOLD, 9 if extra else 10),
                ]
            )
        )
        return table

    # A signed quote

    def signature(self, approval: Signature) -> list[Flowable]:
        words, s = self.words, self.styles
        drawn = kit.fit_image(approval.image, SIGNATURE_BOX)
        mark = drawn or self.para(approval.signer, s.typed)
        signed = local_datetime(approval.signed_at)
        return [
            Spacer(1, 16),
            KeepTogether(
                [
                    Paragraph(escape(words.signature), s.h2),
                    self.para(approval.consent, s.small),
                    Spacer(1, 6),
                    mark,
                    self.para(f"{words.signed_by}: {approval.signer}"),
                    self.para(f"{words.signed_at_local}: {signed}", s.small),
                ]
            ),
        ]

    def audit_page(self, approval: Signature) -> list[Flowable]:
        words, s = self.words, self.styles
        utc = approval.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        rows = [
            (words.signed_by, self.para(approval.signer)),
            (words.signature_method, self.para(approval.method)),
            (words.signed_at_local, self.para(approval.signed_at.strftime("%Y-%m-%d %H:%M:%S %Z"))),
            (words.signed_at_utc, self.para(utc)),
            (words.client_address, self.para(approval.client_address or words.none)),
            (words.user_agent, self.para(approval.user_agent or words.none, s.small)),
            (words.chosen_options, self._listing(approval.chosen)),
            (words.options_not_chosen, self._listing(approval.not_chosen)),
            (words.agreed_to, self.para(approval.consent, s.small)),
            (words.content_hash, Paragraph(escape(approval.content_sha256), s.mono)),
        ]
        return [
            PageBreak(),
            self.para(words.audit_heading, s.heading),
            self.para(f"{self.data.number} {self.data.title}".strip(), s.company),
            Spacer(1, 8),
            self.facts_table(rows),
            Spacer(1, 8),
            self.para(words.hash_note, s.muted),
        ]

    def _listing(self, items: tuple[str, ...]) -> list[Paragraph]:
        return [self.para(item) for item in items] or [self.para(self.words.none)]

    def build(self, story: list[Flowable]) -> bytes:
        data = self.data
        footer = f"{data.company.name} \N{MIDDLE DOT} {data.heading} {data.number}"

        def on_page(canvas, doc) -> None:
            FOOTER.draw(canvas, footer, right=f"{self.words.page} {doc.page}")

        buffer = io.BytesIO()
        doc = kit.document(
            buffer,
            pagesize=PAGE_SIZE,
            margin=MARGIN,
            bottom=0.7 * inch,
            title=f"{data.heading} {data.number}",
            author=data.company.name,
            subject=data.title,
        )
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
        return buffer.getvalue()
