"""Responses compressed (Flask-Compress: zstd, brotli or gzip, as the browser accepts).

Only text is compressed (HTML, CSS, JavaScript, JSON, SVG: Flask-Compress's list of types), so
PDFs, photos and archives, already compressed, pass untouched, and so does every streamed
response (downloads keep streaming; Flask-Compress's streaming wrapper would also lose the
file's close). Static files are streamed by Flask but small, so they are read into memory
first and then compressed like a page; their ETag gets the encoding appended, so conditional
requests still answer 304.
"""

from flask import Flask, Response, current_app, request
from flask_compress import Compress

from app.static_urls import static_folder

compress = Compress()


def _buffer_static_text(response: Response) -> Response:
    """A static file of a compressible type, read into memory so that it can be compressed."""
    compressible = response.mimetype in current_app.config["COMPRESS_MIMETYPES"]
    if (
        compressible
        and response.status_code == 200
        and response.direct_passthrough
        and static_folder(current_app, request.endpoint)
    ):
        response.direct_passthrough = False
        response.make_sequence()
    return response


def init_compression(app: Flask) -> None:
    """Compress responses. Call before init_security_headers: Flask runs after_request
    functions last-registered first, and the security headers read the page uncompressed."""
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
    app.after_request(_buffer_static_text)  # registered after, so it runs before compression
