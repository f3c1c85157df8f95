"""The input formats by name, how a document's format is told, and the one entry point that parses it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Records
from modelatlas.ingest.formats import abstract_page, arxiv_atom, bibtex, catalog_yaml, hf_tasks, model_card, model_index, rdf, seed_prompt
from modelatlas.ingest.reading import read_document_text


@dataclass(frozen=True)
class Format:
    """An input format: its name, how to recognise it, and its parser."""

    name: str
    sniff: Callable[[str], bool]
    parse: Callable[[Path, str], Records]


# Most specific first: detection takes the first format whose sniff accepts the text.
FORMATS: dict[str, Format] = {
    module.NAME: Format(module.NAME, module.sniff, module.parse)
    for module in (hf_tasks, rdf, catalog_yaml, seed_prompt, arxiv_atom, bibtex, model_card, model_index, abstract_page)
}


def detect_format(path: Path, text: str) -> Format:
    """The format of a document, told from its content."""
    for fmt in FORMATS.values():
        if fmt.sniff(text):
            return fmt
    raise IngestError(path, f"unrecognised document; known formats: {', '.join(FORMATS)}")


def parse_document(path: Path, format_name: str | None = None) -> tuple[Format, Records]:
    """Read and parse one document, in the named format or the one its content shows."""
    text = read_document_text(path)
    if not text.strip():
        raise IngestError(path, "empty file")
    if format_name is not None:
        if format_name not in FORMATS:
            raise IngestError(path, f"unknown format {format_name!r}; known formats: {', '.join(FORMATS)}")
        fmt = FORMATS[format_name]
    else:
        fmt = detect_format(path, text)
    return fmt, fmt.parse(path, text)
