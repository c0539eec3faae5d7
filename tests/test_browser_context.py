"""The `page` fixture's tests share one Chromium context (tests/browser_context.py): what one
test leaves in it must be gone when the next test opens its page."""

_LEAVE_STATE = """async () => {
  localStorage.setItem("left", "behind");
  document.cookie = "left=behind; path=/";
  await new Promise((done) => {
    const opening = indexedDB.open("left-behind", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("queue");
    opening.onsuccess = () => { opening.result.close(); done(); };
  });
}"""

_READ_STATE = """async () => ({
  local: localStorage.length,
  cookie: document.cookie,
  databases: (await indexedDB.databases()).map((database) => database.name),
  location: (await navigator.permissions.query({name: "geolocation"})).state,
})"""


def test_a_test_finds_the_kept_context_as_a_new_one(browser, kept_context, live_server):
    new = browser.new_context()
    fresh = new.new_page()
    fresh.goto(f"{live_server}/login")
    as_new = fresh.evaluate(_READ_STATE)
    new.close()
    assert as_new == {"local": 0, "cookie": "", "databases": [], "location": as_new["location"]}

    first = kept_context.new_page()
    first.goto(f"{live_server}/login")
    first.evaluate(_LEAVE_STATE)
    other = first.context.new_page()
    # a session cookie handed to the browser for a site it has not opened yet (sign_in_page)
    first.context.add_cookies([{"name": "session", "value": "copied", "url": "http://127.0.0.2"}])
    first.context.grant_permissions(["geolocation"])
    first.context.route("**/login", lambda route: route.abort())
    first.context.set_offline(True)

    kept_context.reset()

    assert first.is_closed() and other.is_closed()
    second = kept_context.new_page()
    assert second.context.cookies() == []
    second.goto(f"{live_server}/login")
    assert second.evaluate(_READ_STATE) == as_new
    kept_context.reset()
