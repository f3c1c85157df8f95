"""Which way a question goes (query/direction.py), and the ranking putting first a task that goes that way."""

from __future__ import annotations

import pytest

from modelatlas.query.direction import Direction, kinds_in, question_direction, task_direction


@pytest.mark.parametrize(
    ("question", "inputs", "outputs"),
    [
        ("turn my voice memo into written notes", {"audio"}, {"text"}),
        ("have the computer read my essay out loud in a natural voice", set(), {"audio"}),
        ("convert this podcast to text please", {"audio"}, {"text"}),
        ("I typed a sentence and got a photo of a cat in a spacesuit. How?", set(), {"image"}),
        ("transcribe my voice memos", set(), {"text"}),
        ("Get a depth map from one ordinary photo", {"image"}, set()),
        ("turn one photo of a toy into a 3D model", {"image"}, {"3d"}),
        ("boxes around cars in a LiDAR point cloud", set(), set()),  # kinds named, but no way: no direction
        ("sort customer emails into complaint, question or praise", set(), set()),
        ("what is SwinIR?", set(), set()),
        ("", set(), set()),
    ],
)
def test_a_question_says_which_way_it_goes_only_in_so_many_words(question, inputs, outputs):
    assert question_direction(question) == Direction(frozenset(inputs), frozenset(outputs))


def test_a_task_reads_its_way_from_its_input_and_output_fields():
    speech_to_text = task_direction("audio of speech", "the transcript as text")
    text_to_speech = task_direction("text", "audio of speech")
    asked = question_direction("turn my voice memo into written notes")
    assert asked.agrees(speech_to_text) and not asked.disagrees(speech_to_text)
    assert asked.disagrees(text_to_speech) and not asked.agrees(text_to_speech)
    assert kinds_in("a point cloud from LiDAR") == {"3d"} and kinds_in("per-object masks") == frozenset()
    unknown = task_direction("", "")
    assert not unknown and not asked.disagrees(unknown)  # a task with no way is never moved for one


def test_the_ranking_puts_the_task_that_goes_the_question_way_first(atlas):
    for question, task in [
        ("turn my voice memo into written notes", "task:automatic-speech-recognition"),
        ("have the computer read my essay out loud in a natural voice", "task:text-to-speech"),
    ]:
        [answer] = atlas.ask_many([question])
        assert answer.tasks[0].id == task, question


def test_a_question_without_a_way_keeps_the_order_of_its_matches(atlas):
    ranker = atlas.ranker
    question = "speech recognition for meetings"
    vector = atlas.embedder.encode([ranker.matching_text(question)])[0]
    ranking = ranker.rank(question, vector)
    assert not question_direction(question)
    assert ranking.tasks[0].node_id == "task:automatic-speech-recognition"
