"""An app served over real HTTP on a free local port, for a browser: the suite's live server
and bench/page_weight.py both use it."""

import threading
from contextlib import contextmanager

from werkzeug.serving import WSGIRequestHandler, make_server

_RESPONSE = "tests.live_http.response"


def _remembering_responses(app):
    """`app`, noting each response in its request's environ for the handler below."""

    def remembering(environ, start_response):
        response = app(environ, start_response)
        environ[_RESPONSE] = response
        return response

    return remembering


class ClosingHandler(WSGIRequestHandler):
    def connection_dropped(self, error, environ=None) -> None:
        """Close the response a browser hung up on. Werkzeug skips closing it when reading
        what is left of the dropped request fails too, and a static file left open then warns
        (an error under the suite's warning filter) in whichever test collects it."""
        response = (environ or {}).get(_RESPONSE)
        if hasattr(response, "close"):
            response.close()


class QuietHandler(ClosingHandler):
    def log(self, *args) -> None:
        """No line per request: a failing test or the bench's table says what matters."""


@contextmanager
def served(app, *, quiet: bool = False):
    """`app` served in a background thread until the block ends; yields its base URL. The
    access log is on (the log tests read it) unless `quiet`."""
    handler = QuietHandler if quiet else ClosingHandler
    server = make_server(
        "127.0.0.1", 0, _remembering_responses(app), threaded=True, request_handler=handler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
