"""How pages travel: compressed text (never PDFs or pictures), static files named by their content
and kept by browsers for a year, and Bootstrap's stylesheet loaded once on admin pages."""

import gzip
import re

import pytest

from app.security_headers import handler_hashes
from app.static_urls import IMMUTABLE, content_hash
from tests import factories as f
from tests.helpers import stored_logo
from tests.portal_helpers import sign_in_portal

PDF = b"%PDF-1.4\n" + b"1 0 obj<<>>endobj\n" * 200 + b"trailer<<>>\n%%EOF\n"
GZIP = {"Accept-Encoding": "gzip"}
STYLESHEETS = re.compile(r'<link[^>]+href="([^"]+\.css[^"]*)"')


def _stylesheets(page: str) -> list[str]:
    return STYLESHEETS.findall(page)


def test_pages_are_sent_gzipped_and_their_policy_still_names_flask_admins_handlers(
    app, client, login_as
):
    login_as("dispatcher")
    with app.app_context():
        f.CustomerFactory(name="Harbor View Apartments")
    plain = client.get("/admin/customer/")
    packed = client.get("/admin/customer/", headers=GZIP)

    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    page = gzip.decompress(packed.data).decode()
    assert "Harbor View Apartments" in page
    assert len(packed.data) < len(plain.data) / 3
    hashes = handler_hashes(page)
    assert hashes, "the list's 'With selected' menu writes inline handlers"
    assert all(found in packed.headers["Content-Security-Policy"] for found in hashes)
    assert packed.headers["Cache-Control"] == "no-store"


def test_a_browser_that_asks_for_no_compression_gets_none(client, login_as):
    login_as("dispatcher")
    answer = client.get("/admin/customer/")
    assert "Content-Encoding" not in answer.headers
    assert "<html" in answer.get_data(as_text=True)


@pytest.fixture
def customer_files(app):
    """A signed-in portal user with an issued invoice, and a company logo."""
    with app.app_context():
        f.CompanySettingsFactory(logo_key=stored_logo(PDF))
        prop = f.PropertyFactory()
        user = f.PortalUserFactory(customer=prop.customer)
        invoice = f.InvoiceFactory(customer=prop.customer, property_id=prop.id)
        f.InvoiceLineFactory(invoice=invoice)
        return {"user": user.id, "invoice": invoice.id}


def test_pdfs_and_pictures_are_sent_as_they_are(client, customer_files):
    sign_in_portal(client, customer_files["user"])
    invoice_pdf = f"/portal/invoices/{customer_files['invoice']}/pdf"
    with (
        client.get(invoice_pdf, headers=GZIP) as pdf,
        client.get("/brand/logo", headers=GZIP) as logo,
    ):
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert "Content-Encoding" not in pdf.headers
        assert pdf.data.startswith(b"%PDF")
        assert logo.status_code == 200 and logo.mimetype == "image/png"
        assert "Content-Encoding" not in logo.headers
        assert logo.data == PDF


def test_static_files_are_named_by_their_content_and_kept_for_a_year(app, client, login_as):
    login_as("dispatcher")
    admin_page = client.get("/admin/").get_data(as_text=True)
    ours = next(url for url in _stylesheets(admin_page) if url.startswith("/static/admin.css"))
    bootstrap = next(url for url in _stylesheets(admin_page) if "bootstrap.min.css" in url)
    assert ours == f"/static/admin.css?v={content_hash(app.static_folder, 'admin.css')}"
    assert re.search(r"\?v=[0-9a-f]{12}$", bootstrap), bootstrap

    with client.get(bootstrap, headers=GZIP) as fresh:
        assert fresh.status_code == 200
        assert fresh.headers["Cache-Control"] == IMMUTABLE
        assert fresh.headers["Content-Encoding"] == "gzip"
        assert b".btn" in gzip.decompress(fresh.data)
        etag = fresh.headers["ETag"]
    with client.get(bootstrap, headers={**GZIP, "If-None-Match": etag}) as again:
        assert again.status_code == 304

    for stale in ("/static/admin.css", "/static/admin.css?v=0123456789ab"):
        with client.get(stale) as answer:
            assert answer.status_code == 200
            assert "immutable" not in answer.headers.get("Cache-Control", ""), stale


def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "site.css").write_text("a { color: #0056b3; }")
    first = content_hash(str(tmp_path), "site.css")
    (tmp_path / "site.css").write_text("a { color: #003d80; }")
    assert content_hash(str(tmp_path), "site.css") not in (first, None)
    assert content_hash(str(tmp_path), "missing.css") is None
    assert content_hash(str(tmp_path), "../site.css") is None


@pytest.mark.parametrize("path", ["/admin/", "/admin/customer/", "/admin/customer/new/"])
def test_admin_pages_load_bootstraps_stylesheet_once(client, login_as, path):
    login_as("dispatcher")
    sheets = _stylesheets(client.get(path).get_data(as_text=True))
    assert sum("bootstrap.min.css" in url for url in sheets) == 1, sheets
    assert any(url.startswith("/static/admin.css") for url in sheets), sheets
