"""Checking and normalizing a question before it is embedded."""

from __future__ import annotations

import unicodedata

from modelatlas.graph.errors import QuestionError, QuestionTooLongError

MAX_QUESTION_CHARS = 2000


def clean_question(text: str) -> str:
    """The question NFKC-normalized, with control and invisible characters removed and spaces collapsed."""
    if not isinstance(text, str):
        raise QuestionError("the question must be text")
    if len(text) > 50 * MAX_QUESTION_CHARS:
        raise QuestionTooLongError(f"question is {len(text)} characters long; the limit is {MAX_QUESTION_CHARS}")
    normalized = unicodedata.normalize("NFKC", text)
    visible = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in normalized if unicodedata.category(c) not in ("Cf", "Cs", "Co", "Cn"))
    question = " ".join(visible.split())
    if not question:
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionTooLongError(f"question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}")
    if not any(c.isalnum() for c in question):
        raise QuestionError("the question has no letters or digits")
    return question
