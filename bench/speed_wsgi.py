"""What gunicorn serves in bench/portal_speed.py (run with --chdir on the tree under test).

`speed_wsgi:app` is the tree's own wsgi.app. With BENCH_QUERY_LOG set (the counting pass only,
never the timed one) every SQL statement the process sends is recorded by a SQLAlchemy
`before_cursor_execute` listener, and each request appends one JSON line to that file:
{"path": ..., "statements": [...]}. The pages the app keeps rendered (the sticker's and the
portal's) are dropped before each counted request: the count is what showing a page costs, not
sending a copy kept a moment ago.
"""

import json
import os

from wsgi import app as tree_app


def _counting(wsgi_app, log_path: str):
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements: list[str] = []

    @event.listens_for(Engine, "before_cursor_execute")
    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    def counted(environ, start_response):
        """Serve the request whole, then log its statements before the answer leaves."""
        statements.clear()
        for kept in ("sticker_pages", "portal_pages"):
            tree_app.extensions.pop(kept, None)
        body = wsgi_app(environ, start_response)
        try:
            chunks = list(body)
        finally:
            getattr(body, "close", lambda: None)()
        line = {"path": environ.get("PATH_INFO", ""), "statements": list(statements)}
        with open(log_path, "a") as log:
            log.write(json.dumps(line) + "\n")
        return chunks

    return counted


app = tree_app
if os.environ.get("BENCH_QUERY_LOG"):
    app = _counting(tree_app.wsgi_app, os.environ["BENCH_QUERY_LOG"])
