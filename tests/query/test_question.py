"""Questions are checked and normalized before they are embedded."""

import pytest

from modelatlas.graph.errors import QuestionError
from modelatlas.query.question import MAX_QUESTION_CHARS, clean_question


@pytest.mark.parametrize("text", ["", "   ", "\n\t\u00a0", "\u200b\u200d", "?!..."])
def test_empty_or_blank_questions_are_refused(text):
    with pytest.raises(QuestionError):
        clean_question(text)


def test_a_megabyte_question_is_refused_with_its_length():
    with pytest.raises(QuestionError, match=f"1048576 characters long; the limit is {MAX_QUESTION_CHARS}"):
        clean_question("a" * 1024 * 1024)


def test_control_and_invisible_characters_are_removed():
    assert clean_question("up\x00scale\u200b my\r\nphoto\u2028 8x") == "up scale my photo 8x"


def test_compatibility_forms_are_normalized():
    assert clean_question("ｕｐｓｃａｌｅ  ８ｘ") == "upscale 8x"


def test_non_latin_questions_are_kept():
    assert clean_question("如何放大图片？ 🖼️") == "如何放大图片? 🖼️"
