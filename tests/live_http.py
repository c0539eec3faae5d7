"""An app served over real HTTP on a free local port, for a browser: the suite's live server
and bench/page_weight.py both use it."""

import threading
from contextlib import contextmanager

from werkzeug.serving import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log(self, *args) -> None:
        """No line per request: a failing test or the bench's table says what matters."""


@contextmanager
def served(app, *, quiet: bool = False):
    """`app` served in a background thread until the block ends; yields its base URL. The
    access log is on (the log tests read it) unless `quiet`."""
    handler = QuietHandler if quiet else WSGIRequestHandler
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
