"""Rendered pages kept in a web process for a few seconds and sent again (issue 16).

Each surface decides what a page is kept under (its key) and what else it must still match to
be sent again (its stamp: a count of writes, a version). What every kept page must match is
kept here: a page shows the company's settings, so it stands only with the settings copy it
was rendered with (a newer copy read since drops it); and a page that used its request's script
nonce is never kept, as the next request's nonce would not match it. A page whose time is up is
dropped, and no more than `most` pages are kept per process, the least recently sent dropped
first. A threaded server's requests share the pages.
"""

import threading
import time as clock
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from flask import Flask, current_app, g

from app.models import CompanySettings
from app.services.company import current_company, kept_company


@dataclass(frozen=True)
class _Kept:
    html: str
    company: CompanySettings  # the settings copy the page was rendered with
    stamp: tuple
    until: float


class KeptPages:
    def __init__(self, name: str, *, seconds: float, most: int):
        self.name, self.seconds, self.most = name, seconds, most
        self._lock = threading.Lock()

    def _pages(self) -> OrderedDict:
        return current_app.extensions.setdefault(self.name, OrderedDict())

    def drop_all(self, app: Flask) -> None:
        """Forget every page kept in `app` (a test counting what showing a page costs)."""
        app.extensions.pop(self.name, None)

    def get(self, key: Hashable, *stamp) -> str | None:
        """The page kept under `key`, when its time is not up, this request gets the settings
        copy it was rendered with, and it was kept with `stamp`; else None."""
        pages = self._pages()
        kept = pages.get(key)
        if kept is None:
            return None
        fresh = clock.monotonic() < kept.until and kept.stamp == stamp
        if not fresh or current_company() is not kept.company:
            with self._lock:
                pages.pop(key, None)
            return None
        with self._lock:
            if key in pages:
                pages.move_to_end(key)
        return kept.html

    def keep(self, key: Hashable, html: str, *stamp) -> None:
        """Keep the page just rendered under `key` with `stamp`, unless it used this request's
        script nonce or the settings it shows are not kept (their copy is what later requests
        get)."""
        company = kept_company()
        if company is None or "csp_nonce" in g:
            return
        pages = self._pages()
        with self._lock:
            pages[key] = _Kept(html, company, stamp, clock.monotonic() + self.seconds)
            pages.move_to_end(key)
            while len(pages) > self.most:
                pages.popitem(last=False)
