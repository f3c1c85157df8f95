"""Cues of a question: scale factors and the words that name a degradation, a subject or a look."""

import pytest

from modelatlas.query.cues import detect_cues, supports


@pytest.mark.parametrize(
    ("question", "said"),
    [("enlarged by 8x", "8x"), ("zoom x4 please", "x4"), ("upscale 3.5x", "3.5x"), ("make it 4 times bigger", "4 times"), ("8× larger", "8×")],
)
def test_scale_factors_are_read_in_their_usual_spellings(question, said):
    [cue] = [c for c in detect_cues(question) if c.kind == "scale factor"]
    assert cue.said == said


@pytest.mark.parametrize("question", ["my 640x480 photos", "ViT splits the image into 16x16 patches", "model mask-rcnn_x101-64x4d", "version 1.5x1"])
def test_sizes_and_names_are_not_scale_factors(question):
    assert all(c.kind != "scale factor" for c in detect_cues(question))


def test_cues_come_in_the_order_of_the_question_each_kind_once():
    cues = detect_cues("A tiny noisy photo, blurry, a portrait of a face, enlarged 8x; so noisy!")
    assert [c.kind for c in cues] == ["low resolution", "noise", "blur", "portrait", "scale factor"]
    assert [c.said for c in cues][:2] == ["tiny noisy photo", "noisy"]


def test_small_things_in_the_picture_are_not_a_small_picture():
    assert all(c.kind != "low resolution" for c in detect_cues("the skin had tiny pores and small wrinkles"))
    assert [c.said for c in detect_cues("I enlarged a small and noisy image by 8x") if c.kind == "low resolution"] == ["small and noisy image"]


def test_text_in_a_prompt_is_not_text_in_the_image():
    assert all(c.kind != "text" for c in detect_cues("turn my text description into a picture"))
    assert [c.kind for c in detect_cues("read the text on a shop sign")] == ["text"]


def test_support_needs_a_whole_word_and_exactness_needs_the_very_factor():
    [scale] = detect_cues("zoom 8x")
    assert supports(scale, "including scales such as x8 that were not seen", exact=True)
    assert not supports(scale, "scales such as x80", exact=True)
    assert supports(scale, "any scale factor") and not supports(scale, "rescaled")
    [noise] = detect_cues("a noisy photo")
    assert supports(noise, "It removes sensor noise.") and not supports(noise, "annoisy")


def test_a_question_without_cues_has_none():
    assert detect_cues("how does AI detect objects in self-driving cars") == []
