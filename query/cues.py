"""Concrete cues in a question ("8x", "noisy", "portrait") and the words a graph text must hold to speak to them.

A cue is detected by a pattern over the question's words. It is only repeated in an answer when a
sentence of a node in that answer holds one of the cue's support words; otherwise the answer says that
nothing in the graph speaks to it. The patterns are listed here, in one table, and in docs/ranking.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCALE = re.compile(
    r"(?<![\w.])(?P<a>\d{1,2}(?:\.\d)?)\s?(?:x|×|times)(?![\w.])"  # 8x, 3.5x, 4 times
    r"|(?<![\w.])(?:x|×)(?P<b>\d{1,2}(?:\.\d)?)(?![\w.])",  # x8
    re.IGNORECASE,
)

# kind -> (what the answer calls it, the question's words that show it, the graph's words that speak to it)
_LEXICON: tuple[tuple[str, str, str, str], ...] = (
    ("noise", "noise in the input", r"nois\w*|grain\w*|high iso|speckl\w*", r"nois\w*|denois\w*|grain\w*"),
    ("blur", "blur in the input", r"blur\w*|shak\w*|shook|smear\w*|out of focus", r"blur\w*|deblur\w*|shake"),
    ("low resolution", "a small, low-resolution input", r"low[- ]?res\w*|pixelated|few pixels|thumbnails?|\d{3}p|(?:tiny|small|little)(?:,?\s+\w+){0,2}\s+(?:images?|photos?|pictures?|pics?|icons?|sprites?|versions?|files?)", r"low[- ]resolution|super-resolution|upscal\w*|enlarg\w*"),
    ("compression", "compression artifacts", r"jpe?g\w*|compress\w*|block\w*|artifact\w*", r"jpeg|compress\w*|artifact\w*"),
    ("low light", "a dark, low-light shot", r"dark\w*|low[- ]light|night|dim", r"low[- ]light|dark\w*|night"),
    ("weather", "rain, haze or fog", r"rain\w*|haz[ey]|fog\w*", r"rain\w*|haz[ey]|fog\w*"),
    ("portrait", "a face or portrait", r"portrait\w*|faces?|selfies?|skin|pores", r"portrait\w*|fac(?:e|es|ial)|skin|pores?"),
    ("text", "text in the image", r"text (?:on|in)|documents?|receipts?|signs?|ocr|handwrit\w*|words in", r"text|document\w*|ocr|characters?"),
    ("medical", "a medical image", r"x-?rays?|mri|ct scans?|patholog\w*|lesions?|moles?|melanoma|dermat\w*", r"medical|patholog\w*|lesions?|dermat\w*|melanoma"),
    ("realism", "a natural, realistic look", r"natural\w*|realistic|lifelike|photo-?realistic|dslr|sharp\w*", r"natural\w*|realistic|photo-?realistic|perceptual|sharp\w*|detail\w*"),
)


@dataclass(frozen=True)
class Cue:
    """A concrete thing the question says about its image, and the pattern of graph words that speak to it."""

    kind: str  # "scale factor", "noise", "portrait", ...
    said: str  # the question's own words
    meaning: str  # what the answer calls it
    support: str  # a regular expression over graph sentences, matched as whole words
    exact: str | None = None  # for a scale factor, the pattern of that very factor (x8, 8x, ×8)


def detect_cues(question: str) -> list[Cue]:
    """The cues of a question, in the order they appear, each kind once."""
    found: list[tuple[int, Cue]] = []
    scale = _SCALE.search(question)
    if scale:
        factor = scale.group("a") or scale.group("b")
        exact = rf"(?:x|×){re.escape(factor)}|{re.escape(factor)}\s?(?:x|×)"
        found.append((scale.start(), Cue("scale factor", scale.group(0), f"a scale factor of {factor}", r"scales?|scale factors?|any resolution|arbitrary", exact)))
    for kind, meaning, said, support in _LEXICON:
        match = re.search(rf"(?<!\w)(?:{said})(?!\w)", question, re.IGNORECASE)
        if match:
            found.append((match.start(), Cue(kind, match.group(0), meaning, support)))
    return [cue for _, cue in sorted(found, key=lambda pair: pair[0])]


def supports(cue: Cue, sentence: str, exact: bool = False) -> bool:
    """True when a graph sentence speaks to the cue (with `exact`, to the very scale factor)."""
    pattern = cue.exact if exact else cue.support
    return pattern is not None and re.search(rf"(?<!\w)(?:{pattern})(?!\w)", sentence, re.IGNORECASE) is not None
