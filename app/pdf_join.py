"""One PDF written from the pages of several, streaming: each source's pages go to the output as
soon as it is added, so a long document drawn in chunks (a sticker sheet of thousands of labels)
is never held whole in memory, neither by reportlab nor here.

What stays in memory is a file offset per object and a digest per object written: an object
that is the same in several sources (the fonts each chunk's canvas declares) is written once
and shared. Streams are written Flate-compressed from their decoded data, so sources are best
left uncompressed. A page's objects must not point back at the page (no annotations).
"""

import hashlib
import io
import zlib
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject, StreamObject

_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
_STREAM_KEYS = ("/Length", "/Filter", "/DecodeParms")  # written anew with the compressed data


class PdfJoin:
    """Pages appended to `out` in the order their sources are added; `close()` finishes the file."""

    def __init__(self, out: BinaryIO):
        self._out = out
        self._written = 0
        self._offsets: list[int] = []  # the offset of object n at index n - 1
        self._shared: dict[bytes, int] = {}  # an object's digest -> its number in the output
        self._kids: list[int] = []
        self._info: int | None = None
        self._pages = self._reserve()
        self._write(_HEADER)

    def add(self, source: BinaryIO) -> None:
        """Append every page of the PDF `source` (the document information of the first one
        becomes the output's)."""
        copied: dict[int, int] = {}  # the source's object number -> the output's
        # Closing the reader drops the objects it read (they hold cycles the collector would
        # free only much later).
        with PdfReader(source) as reader:
            for page in reader.pages:
                entries = self._entries(page, reader, copied, skip=("/Parent",))
                self._kids.append(self._object(b"<</Parent %d 0 R\n%s>>" % (self._pages, entries)))
            if self._info is None and "/Info" in reader.trailer:
                self._info = self._copy(reader.trailer.raw_get("/Info"), reader, copied)

    def close(self) -> None:
        """Write the page tree, the catalogue and the cross-reference table."""
        kids = b" ".join(b"%d 0 R" % number for number in self._kids)
        self._place(self._pages, b"<</Type /Pages /Count %d /Kids [%s]>>" % (len(self._kids), kids))
        catalog = self._object(b"<</Type /Catalog /Pages %d 0 R>>" % self._pages)
        info = b" /Info %d 0 R" % self._info if self._info else b""
        xref = self._written
        rows = b"".join(b"%010d 00000 n \n" % offset for offset in self._offsets)
        self._write(b"xref\n0 %d\n0000000000 65535 f \n%s" % (len(self._offsets) + 1, rows))
        self._write(
            b"trailer\n<</Size %d /Root %d 0 R%s>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(self._offsets) + 1, catalog, info, xref)
        )

    def _dump(self, value: PdfObject, reader: PdfReader, copied: dict[int, int]) -> bytes:
        """`value` as PDF syntax, the objects it refers to copied first (a stream as the
        dictionary its data is written after)."""
        if isinstance(value, IndirectObject):
            return b"%d 0 R" % self._copy(value, reader, copied)
        if isinstance(value, StreamObject):
            data = zlib.compress(value.get_data())
            entries = self._entries(value, reader, copied, skip=_STREAM_KEYS)
            return b"<<%s/Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream" % (
                entries,
                len(data),
                data,
            )
        if isinstance(value, DictionaryObject):
            return b"<<%s>>" % self._entries(value, reader, copied)
        if isinstance(value, ArrayObject):
            return b"[" + b" ".join(self._dump(item, reader, copied) for item in value) + b"]"
        text = io.BytesIO()
        value.write_to_stream(text)
        return text.getvalue()

    def _entries(
        self, value: DictionaryObject, reader: PdfReader, copied: dict[int, int], skip=()
    ) -> bytes:
        """A dictionary's entries, each on its line, but those named in `skip`."""
        return b"".join(
            b"%s %s\n" % (self._dump(key, reader, copied), self._dump(item, reader, copied))
            for key, item in value.items()
            if key not in skip
        )

    def _copy(self, reference: IndirectObject, reader: PdfReader, copied: dict[int, int]) -> int:
        """The output's number for a source object, written (or found written) once."""
        if reference.idnum not in copied:
            body = self._dump(reader.get_object(reference), reader, copied)
            digest = hashlib.sha256(body).digest()
            if digest not in self._shared:
                self._shared[digest] = self._object(body)
            copied[reference.idnum] = self._shared[digest]
        return copied[reference.idnum]

    def _reserve(self) -> int:
        self._offsets.append(0)
        return len(self._offsets)

    def _object(self, body: bytes) -> int:
        number = self._reserve()
        self._place(number, body)
        return number

    def _place(self, number: int, body: bytes) -> None:
        self._offsets[number - 1] = self._written
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._written += len(data)
