"""Names in questions: every spelling of a method, model, task or dataset, word boundaries, English words, typos."""

import pytest

from modelatlas.query.names import Name, NameIndex, name_key

WORDS = {"sort", "sam", "of", "a", "photos", "restoration", "images"}


def index(*names: tuple[str, str, bool]) -> NameIndex:
    return NameIndex([Name(name_key(spelling), node_id, spelling, exact) for node_id, spelling, exact in names], is_word=lambda k: k in WORDS)


CATALOG = index(
    ("method:maskrcnn", "Mask R-CNN", False),
    ("method:cascademaskrcnn", "Cascade Mask R-CNN", False),
    ("method:swinir", "SwinIR", False),
    ("method:restormer", "Restormer", False),
    ("method:sort", "SORT", True),
    ("method:ofa", "OFA", False),
    ("task:instance-segmentation", "Instance segmentation", False),
    ("dataset:coco", "COCO", False),
    ("paper:arxiv:2108.10257", "2108.10257", False),
)


def found(question: str) -> list[tuple[str, str, bool]]:
    return [(h.node_id, h.written, h.fuzzy) for h in CATALOG.find(question)]


@pytest.mark.parametrize("written", ["Mask R-CNN", "mask rcnn", "MaskRCNN", "mask-rcnn", "MASK R CNN"])
def test_every_spelling_of_a_name_is_the_name(written):
    assert found(f"where can I get {written} weights?") == [("method:maskrcnn", written, False)]


def test_the_longest_name_wins_and_names_come_in_the_order_written():
    assert [h[0] for h in found("cascade mask rcnn or SwinIR for instance segmentation on COCO")] == [
        "method:cascademaskrcnn", "method:swinir", "task:instance-segmentation", "dataset:coco",
    ]


def test_a_name_must_start_and_end_on_word_boundaries():
    assert found("theswinirnet is no name, nor is supermaskrcnnplus") == []


def test_a_name_that_is_an_english_word_counts_only_as_the_catalog_writes_it():
    assert found("Sort my photos by dog breed") == []
    assert found("track every person with SORT") == [("method:sort", "SORT", False)]


def test_a_short_name_is_not_read_across_words():
    assert found("fill in the missing parts of a damaged photo") == []
    assert found("what does OFA answer?") == [("method:ofa", "OFA", False)]


@pytest.mark.parametrize("typo, node", [("swinri", "method:swinir"), ("Restromer", "method:restormer"), ("Restorrmer", "method:restormer")])
def test_a_typo_in_a_name_is_read_as_the_name(typo, node):
    assert found(f"what is {typo}?") == [(node, typo, True)]


def test_english_words_and_far_spellings_are_not_typos():
    assert found("photo restoration with images") == []
    assert found("what is swinnnir?") == []


def test_an_arxiv_id_names_its_paper():
    assert found("summarise arXiv 2108.10257v2 for me") == [("paper:arxiv:2108.10257", "2108.10257", False)]


def test_no_names_no_hits():
    assert NameIndex([]).find("what is SwinIR?") == []
    assert found("ångström ☃ ?") == []


def test_pluses_are_part_of_a_name():
    names = index(("method:basicvsr", "BasicVSR", False), ("method:basicvsrplusplus", "BasicVSR++", False))
    assert [h.node_id for h in names.find("BasicVSR++ or BasicVSR?")] == ["method:basicvsrplusplus", "method:basicvsr"]


def test_a_short_name_written_as_one_hyphenated_word_counts():
    names = index(("method:blip", "BLIP", False), ("method:blip2", "BLIP-2", False))
    assert [h.node_id for h in names.find("papers about BLIP-2")] == ["method:blip2"]
    assert [h.node_id for h in names.find("BLIP 2 or BLIP?")] == ["method:blip"]  # a space between: "2" is a word of its own


def test_a_misspelt_task_or_method_is_spelled_as_the_catalog_writes_it_for_matching():
    names = index(("task:image-denoising", "Image denoising", False), ("dataset:scannet", "ScanNet", False), ("method:swinir", "SwinIR", False))
    assert names.spelled("imgae denosing for astrophotography") == "Image denoising for astrophotography"
    assert names.spelled("what is swinri?") == "what is SwinIR?"
    assert names.spelled("pages of scannet books") == "pages of scannet books"  # exact: nothing to respell
    assert names.spelled("scanent depth maps") == "scanent depth maps"  # a dataset's name is no word to embed


def test_inflected_english_words_are_english_words():
    from modelatlas.query.names import english_words

    is_word = english_words()
    assert all(is_word(w) for w in ("scanned", "boxes", "tracking", "labelled", "estimated", "cities"))
    assert not any(is_word(w) for w in ("scannet", "denosing", "swinir"))


def test_a_typo_read_across_a_shorter_exact_name_replaces_it():
    names = index(("task:image-classification", "Image classification", False), ("task:image-classification", "classification", False),
                  ("task:video-classification", "Video classification", False))
    assert [(h.node_id, h.written, h.fuzzy) for h in names.find("vidoe classification of sports clips")] == [
        ("task:video-classification", "vidoe classification", True)]
    assert names.spelled("vidoe classification of sports clips") == "Video classification of sports clips"
    # An exact name with English words around it holds no typo, and stays.
    assert [h.node_id for h in names.find("classification of images")] == ["task:image-classification"]
