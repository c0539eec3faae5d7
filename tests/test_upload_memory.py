"""Uploads cannot exhaust memory: a burst of small files with huge pixel counts, sent to a real
server process, leaves that process's peak memory within 300 MB of where it started.

Six anonymous sticker requests at once, each with two PNGs of a few hundred kilobytes: one
just within MAX_IMAGE_PIXELS (decoded: about 96 MB each as RGBA; the process decodes at most
IMAGE_DECODES_AT_ONCE of them at a time, one by default), and one of 900 million pixels,
refused from its header without being decoded.
"""

import io
import struct
import subprocess
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests import factories as f
from tests.browser_forms import form_on
from tests.clean_tables import written_elsewhere

ROOT = Path(__file__).resolve().parent.parent
HEADROOM_BYTES = 300 * 1024 * 1024
SERVE = """
import sys
from werkzeug.serving import make_server
from app import create_app

app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": sys.argv[1],
                  "STORAGE_DIR": sys.argv[2]})
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def huge_png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` RGBA pixels (its pixel data is cut short: only a
    decoder that believed the header would allocate them)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width * 4 + 1) * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def largest_allowed_png() -> bytes:
    """A blank 6000 x 4000 RGBA picture (24 MP): a few hundred KB as a file."""
    buffer = io.BytesIO()
    Image.new("RGBA", (6000, 4000), (250, 250, 250, 255)).save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


def _memory(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} for {pid}")


@pytest.fixture
def server(app):
    """The app in its own process, on the test database and storage; yields (url, pid)."""
    written_elsewhere()
    process = subprocess.Popen(  # noqa: S603  (our own interpreter and script)
        [
            sys.executable,
            "-c",
            SERVE,
            app.config["SQLALCHEMY_DATABASE_URI"],
            app.config["STORAGE_DIR"],
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_a_burst_of_huge_pictures_stays_within_the_memory_budget(app, server):
    url, pid = server
    with app.app_context():
        token = f.UnitFactory().qr_token
    page = requests.get(f"{url}/u/{token}", timeout=30)
    form = form_on(page.text, url=page.url)
    form["description"] = "No heat upstairs."
    form["contact_name"] = "Sam Doe"
    form["contact_phone"] = "555-0100"
    fields = [(k, v) for k, v in form.data().items(multi=True) if not isinstance(v, tuple)]
    allowed, refused = largest_allowed_png(), huge_png_header(30_000, 30_000)
    assert len(allowed) < 1_000_000 and len(refused) < 100_000  # small files...

    def send(n: int):
        files = [
            ("photos", (f"a{n}.png", allowed, "image/png")),
            ("photos", (f"b{n}.png", refused, "image/png")),
        ]
        return requests.post(form.action, data=fields, files=files, timeout=120)

    time.sleep(0.2)
    start = _memory(pid, "VmRSS")
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(send, range(6)))
    peak = _memory(pid, "VmHWM")

    for response in responses:
        assert response.status_code == 200
        assert "That picture is too large" in response.text
    assert peak - start < HEADROOM_BYTES, f"{start / 2**20:.0f} MB -> {peak / 2**20:.0f} MB"
    print(f"server memory: {start / 2**20:.0f} MB at the start, peak {peak / 2**20:.0f} MB")
