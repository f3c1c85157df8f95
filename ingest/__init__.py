"""Ingest: documents on disk -> Records (typed nodes and edges), one parser per format."""

from modelatlas.ingest.registry import FORMATS, detect_format, parse_document

__all__ = ["FORMATS", "detect_format", "parse_document"]
