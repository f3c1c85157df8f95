"""Misspelt words mended against the catalog's vocabulary, before names are found and the question is matched."""

import pytest

from modelatlas.query.lexical import build_lexical, load_lexical, save_lexical
from modelatlas.query.spelling import Speller

COUNTS = {"speech": 4, "recognition": 6, "image": 30, "object": 9, "detection": 12, "classification": 8,
          "noise": 10, "nose": 1, "reset": 2, "generation": 5}
ENGLISH = {"remove", "photos", "meetings", "from", "note", "drone", "images", "text", "zero", "shot", "what", "cats"}


@pytest.fixture
def speller():
    return Speller(COUNTS, is_name=lambda word: word == "resnet", is_word=lambda word: word in ENGLISH)


def test_a_misspelt_word_becomes_the_vocabulary_word_one_edit_away(speller):
    assert speller.correct("speach recognition for meetings") == "speech recognition for meetings"
    assert speller.correct("obect detecton in drone images") == "object detection in drone images"
    assert speller.correct("text to imgae generation") == "text to image generation"  # a swap of two letters is one edit
    assert speller.correct("zero shot image clasification") == "zero shot image classification"


def test_the_closest_then_the_most_used_word_wins(speller):
    assert speller.mend("nosie") == "noise"  # one swap from noise, one deletion from nose: noise is used in more documents
    assert speller.mend("noize") == "noise"


def test_words_that_are_no_misspelling_stay(speller):
    assert speller.correct("Remove noise from photos") == "Remove noise from photos"  # known and English words
    assert speller.correct("resnet for cats") == "resnet for cats"  # a name of the catalog, though one edit from "reset"
    assert speller.correct("what is SwinIR or YOLOv8") == "what is SwinIR or YOLOv8"  # capitals inside: a name
    assert speller.correct("nte") == "nte"  # shorter than four letters: too many words one edit away
    assert speller.correct("bject detection") == "bject detection"  # a typo keeps the first letter


def test_a_capitalised_word_is_mended_capitalised(speller):
    assert speller.correct("Speach recognition") == "Speech recognition"


def test_the_vocabulary_is_saved_with_the_lexical_index(tmp_path):
    lexical = build_lexical({"task:a": "Speech recognition of speech", "task:b": "Speech synthesis; noisy 3D scans"}, "test")
    assert lexical.spelling == {"speech": 2, "recognition": 1, "synthesis": 1, "noisy": 1, "scans": 1}
    save_lexical(lexical, tmp_path / "lexical.npz")
    assert load_lexical(tmp_path / "lexical.npz").spelling == lexical.spelling


def test_a_question_with_misspelt_words_is_answered_for_its_task(atlas):
    ranker = atlas.ranker
    assert ranker.matching_text("speach recognition for meetings") == "speech recognition for meetings"
    answer = atlas.ask("speach recognition for meetings")
    assert answer.tasks[0].id == "task:automatic-speech-recognition"
    assert answer.read_as == "speech recognition for meetings" and answer.to_json()["read_as"] == answer.read_as
    assert "**Read as:** speech recognition for meetings" in answer.markdown
    assert atlas.ask("speech recognition for meetings").read_as == ""  # nothing mended, nothing said
    # Mended first, the words then read as the task's whole name.
    assert [h.node_id for h in ranker.find_names("zero shot image clasification")] == ["task:zero-shot-image-classification"]


def test_a_question_of_no_word_we_read_is_abstained_on(atlas):
    for question in ("zzzz qqq ppp", "asdf qwerty zxcv"):
        assert atlas.ranker.unread(question)
        assert not atlas.ask(question).confident
    assert not atlas.ranker.unread("what is SwinIR")
    assert not atlas.ranker.unread("speach recognition")


def test_a_question_that_is_mostly_a_task_s_name_is_about_that_task(atlas):
    # "text to speech" is written; "speech to text" (an alias of speech recognition) embeds the same.
    assert atlas.ask("text to speech").tasks[0].id == "task:text-to-speech"
    # A task's name in a few of many words does not decide: "detection" is no 2D detection here.
    assert atlas.ask("lidar 3d detection nuscenes").tasks[0].id == "task:3d-object-detection"
