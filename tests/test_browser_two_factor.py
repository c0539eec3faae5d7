"""Two-factor sign-in in Chromium: enrol by the QR page, sign out, sign in with the app's code."""

import time

import pyotp
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD


def _sign_in_with_password(page, live_server) -> None:
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "ann@polarbear.test")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")


def test_staff_enrols_then_signs_in_with_a_code_in_chromium(app, live_server, page, make_staff):
    make_staff("admin", email="ann@polarbear.test", name="Ann Admin")
    _sign_in_with_password(page, live_server)
    page.wait_for_url(f"{live_server}/admin/")

    page.click("text=Ann Admin")
    page.wait_for_url(f"{live_server}/account")
    page.click("text=Set up two-factor sign in")
    expect(page.locator(".qr svg path")).to_have_count(1)
    secret = page.inner_text("#totp-secret")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.click("text=I have saved them, continue")
    page.wait_for_url(f"{live_server}/account")
    assert "Recovery codes left: 10." in page.inner_text("main")

    page.goto(f"{live_server}/admin/")
    page.click("text=Sign out")
    page.wait_for_url(f"{live_server}/login")
    _sign_in_with_password(page, live_server)
    page.wait_for_url(f"{live_server}/login/code")
    # The next step's code: the current one went to the enrolment (each code works once).
    page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/")
    assert "Ann Admin" in page.inner_text("nav")
