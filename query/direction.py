"""Which way a question goes: the kinds of data it names as what it starts from and what it wants back.

Sentence embeddings hardly see direction: "turn my voice memo into written notes" lies nearer to
text-to-speech's "text to voice" than to speech recognition's "speech to text", because both hold a
voice and some text. The question's own words often say which way it goes: "X into Y" after a verb of
turning (X the input, Y the output), "from X" (the input), "get", "generate" or "create" X (the
output), "out loud" or "aloud" (speech out), "transcribe" or "write down" (text out). The same
words read from a task's `input` and `output` fields give the task's direction; the ranking then puts
first, among the tasks the question matches about as well, one that goes the question's way
(query/rank.py, docs/ranking.md §2).

Only kinds of data are read (speech and audio, text, image, video, 3D), each from a short list of words;
a question or task field without one of them has no direction, and nothing is reordered for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS: dict[str, frozenset[str]] = {
    "audio": frozenset("""audio speech voice voices spoken recording recordings podcast podcasts memo memos sound sounds
        song songs music aloud audiobook audiobooks narration""".split()),
    "text": frozenset("""text texts transcript transcripts written words caption captions subtitles sentence sentences
        notes summary answer answers essay article articles description descriptions prompt story""".split()),
    "image": frozenset("""image images photo photos photograph photographs picture pictures pixels sketch sketches drawing
        drawings painting paintings snapshot snapshots selfie selfies portrait portraits""".split()),
    "video": frozenset("video videos clip clips footage frames movie film".split()),
    "3d": frozenset("3d mesh meshes lidar point-cloud".split()),
}
TURNING = r"(?:turn|turns|turning|convert|converts|converting|transform|transforms|change|changes|make|makes)"
_INTO = re.compile(rf"\b{TURNING}\b(?P<source>[^.?!;]*?)\b(?:into|to)\b(?P<target>[^.?!;,]*)", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\b(?P<source>[^.?!;,]*)", re.IGNORECASE)
_GET = re.compile(r"\b(?:get|gets|got|getting|generate|generates|generated|produce|produces|produced|create|creates|created)\b"
                  r"(?P<target>[^.?!;,]*?)(?=\b(?:of|from|out|in|on|with|for|by|about|that|which|and)\b|[.?!;,]|$)", re.IGNORECASE)
_ALOUD = re.compile(r"\b(?:out loud|aloud)\b", re.IGNORECASE)
_TRANSCRIBE = re.compile(r"\b(?:transcribe|transcribes|transcribed|transcribing|write down|writes down|wrote down)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Direction:
    """The kinds of data a text names as input and as output; empty where it names none."""

    inputs: frozenset[str] = frozenset()
    outputs: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.inputs or self.outputs)

    def disagrees(self, task: Direction) -> bool:
        """The task starts from or gives a kind of data, and none of it is what the question names."""
        return bool(self.outputs and task.outputs and not self.outputs & task.outputs
                    or self.inputs and task.inputs and not self.inputs & task.inputs)

    def agrees(self, task: Direction) -> bool:
        """The task goes the question's way: each side the question names, the task names and shares."""
        return bool(self) and (not self.outputs or self.outputs & task.outputs) and (not self.inputs or self.inputs & task.inputs)


def kinds_in(text: str) -> frozenset[str]:
    """The kinds of data a phrase names ("a recorded voice memo": audio)."""
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower().replace("point cloud", "point-cloud")))
    return frozenset(kind for kind, vocabulary in KINDS.items() if words & vocabulary)


def question_direction(question: str) -> Direction:
    """What a question says it starts from and wants: "turn X into Y", "... from X", "got a photo", "read it out loud"."""
    inputs: set[str] = set()
    outputs: set[str] = set()
    turned = _INTO.search(question)
    if turned:
        inputs |= kinds_in(turned.group("source"))
        outputs |= kinds_in(turned.group("target"))
    for source in _FROM.finditer(question):
        inputs |= kinds_in(source.group("source"))
    for made in _GET.finditer(question):
        outputs |= kinds_in(made.group("target"))
    if _ALOUD.search(question):
        outputs.add("audio")
    if _TRANSCRIBE.search(question):
        outputs.add("text")
    return Direction(frozenset(inputs), frozenset(outputs))


def task_direction(input_field: str, output_field: str) -> Direction:
    """A task's direction, from its `input` and `output` fields."""
    return Direction(kinds_in(input_field), kinds_in(output_field))
