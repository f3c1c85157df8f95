"""Typed errors, raised anywhere and turned into one clear line at the edge (CLI, server)."""

from __future__ import annotations


class AtlasError(Exception):
    """Base of every error ModelAtlas reports to its user."""


def one_line(err: object, limit: int = 200) -> str:
    """A library's error message on one line, cut at `limit` characters: a part of a one-line error of ours."""
    return " ".join(str(err).split())[:limit]


def described(err: BaseException, limit: int = 200) -> str:
    """An exception we did not raise, as `Type: message` on one line."""
    return f"{type(err).__name__}: {one_line(err, limit)}"


class IngestError(AtlasError):
    """A document that cannot be read: which file, where, and why."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = str(path), " ".join(str(reason).split()), line  # always one line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {self.reason}")


class QuestionError(AtlasError):
    """A question that cannot be asked (empty, too long)."""


class QuestionTooLongError(QuestionError):
    """A question over the length limit."""


class UnknownNodeError(AtlasError):
    """A model, task or paper name that matches no node of that kind, or several."""

    def __init__(self, name: str, reason: str, suggestions: list[str], kind: str = "model"):
        self.name, self.suggestions, self.kind = name, suggestions, kind
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"{kind} {name!r}: {reason}{hint}")


class AmbiguousNameError(UnknownNodeError):
    """A name that designates several methods or models: the candidates, grouped by method."""

    def __init__(self, name: str, candidates: list[dict]):
        self.candidates = candidates
        shown = "; ".join(c["label"] for c in candidates[:8]) + (f"; and {len(candidates) - 8} more" if len(candidates) > 8 else "")
        super().__init__(name, f"matches {len(candidates)} methods or models: {shown}; name one", [], "model or method")


class ViewError(AtlasError):
    """A picture of the graph that cannot be drawn: an unknown kind, a depth out of range, an unknown file type."""


class CatalogError(AtlasError):
    """A saved catalog or build that cannot be read or written."""
