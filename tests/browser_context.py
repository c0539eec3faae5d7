"""One Chromium context per test worker, which the tests of the `page` fixture take turns in.

A new context starts with an empty HTTP cache and no renderer, so every test fetched, parsed and
compiled the back office's scripts and styles again: three admin pages cost about 1.3 s of
Chromium CPU in a new context against 0.65 s in a kept one. Between tests the kept context is
put back as a new one would be: its test pages closed, cookies and every kind of site storage
(local storage, IndexedDB, Cache Storage, service workers) cleared for each origin it went to,
permissions, routes and offline mode reset. What it keeps is the HTTP cache, where only static
files are (the app's pages are `no-store`), and its renderer. A test's page is new, so nothing a
test sets on a page (viewport, listeners, bindings, scripts, session storage) reaches the next.
"""

from urllib.parse import urlsplit


class KeptContext:
    def __init__(self, browser):
        self._browser = browser
        self._context = None
        self._origins: set[str] = set()

    def new_page(self):
        if self._context is None:
            self._open()
        return self._context.new_page()

    def _open(self) -> None:
        self._context = self._browser.new_context()
        self._context.on("page", self._note_origins)
        # A blank page that stays: the renderer lives on between tests, and the DevTools
        # session that clears storage is attached to it.
        self._blank = self._context.new_page()
        self._devtools = self._context.new_cdp_session(self._blank)

    def _note_origins(self, page) -> None:
        page.on("framenavigated", lambda frame: self._note_origin(frame.url))

    def _note_origin(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):  # not about:blank, data: or blob:
            self._origins.add(f"{parts.scheme}://{parts.netloc}")

    def reset(self) -> None:
        """Put the context back as new, after a test."""
        context = self._context
        for page in context.pages:
            if page != self._blank:
                page.close()
        context.unroute_all(behavior="ignoreErrors")
        context.set_offline(False)
        context.clear_permissions()
        context.clear_cookies()
        for origin in self._origins:
            self._devtools.send(
                "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"}
            )
        self._origins.clear()

    def discard(self) -> None:
        """Close the context; the next test starts a new one."""
        if self._context is not None:
            self._context.close()
            self._context = None
            self._origins.clear()
