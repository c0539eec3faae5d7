"""Rendered pages kept in a web process for a few seconds and sent again (issue 16).

Each surface decides what a page is kept under (its key) and what it must still match to be
sent again (its stamp: the company settings copy it shows, a count of writes, a version); this
keeps them, drops one whose time is up or whose stamp no longer matches, and keeps no more
than `most` pages per process, dropping the least recently sent first. A threaded server's
requests share the pages.
"""

import threading
import time as clock
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class _Kept:
    html: str
    stamp: tuple
    until: float


class KeptPages:
    def __init__(self, name: str, *, seconds: float, most: int):
        self.name, self.seconds, self.most = name, seconds, most
        self._lock = threading.Lock()

    def _pages(self) -> OrderedDict:
        return current_app.extensions.setdefault(self.name, OrderedDict())

    def get(self, key: Hashable, stamp: Callable[[], tuple]) -> str | None:
        """The page kept under `key`, when its time is not up and it was kept with the stamp
        `stamp()` gives now (asked only when there is a page); else None."""
        pages = self._pages()
        kept = pages.get(key)
        if kept is None:
            return None
        if clock.monotonic() >= kept.until or kept.stamp != stamp():
            with self._lock:
                pages.pop(key, None)
            return None
        with self._lock:
            if key in pages:
                pages.move_to_end(key)
        return kept.html

    def keep(self, key: Hashable, html: str, stamp: tuple) -> None:
        pages = self._pages()
        with self._lock:
            pages[key] = _Kept(html, stamp, clock.monotonic() + self.seconds)
            pages.move_to_end(key)
            while len(pages) > self.most:
                pages.popitem(last=False)
