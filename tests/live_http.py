"""An app served over real HTTP on a free local port, for a browser: the suite's live server
and bench/page_weight.py both use it."""

import threading
from contextlib import contextmanager

from werkzeug.serving import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log(self, *args) -> None:
        """No line per request: a failing test or the bench's table says what matters."""


@contextmanager
def served(app):
    """`app` served in a background thread until the block ends; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
