"""The WSGI entry point: gunicorn wsgi:app.

Once the app is built, what the process has loaded (about 270,000 objects: modules, the
app, its templates) lives as long as the process does. `gc.freeze()` takes it out of the cyclic
collector's sight, so a full collection walks only what requests made since: without it, a
gunicorn worker paused 130-250 ms every 50-60 admin GETs to walk them all again.
"""

import gc

from app import create_app

app = create_app()
gc.freeze()
