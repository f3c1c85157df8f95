"""Reading a document's text with the checks every format shares."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from modelatlas.graph.errors import IngestError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def read_document_text(path: Path) -> str:
    """The UTF-8 text of `path`, NFC-normalized, or an IngestError saying why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise IngestError(path, f"file is {size} bytes; the limit is {MAX_DOCUMENT_BYTES}")
        raw = path.read_bytes()
    except IsADirectoryError:
        raise IngestError(path, "is a directory where a file was expected") from None
    except FileNotFoundError:
        raise IngestError(path, "no such file") from None
    except PermissionError:
        raise IngestError(path, "permission denied") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise IngestError(path, f"not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start})", line) from None
    if "\x00" in text:
        raise IngestError(path, "binary file (contains NUL bytes)")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
