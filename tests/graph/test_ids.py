"""Stable ids: one per paper and repository whatever form the link takes."""

import pytest

from modelatlas.graph import ids


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2012.09161",
        "https://arxiv.org/pdf/2012.09161",
        "http://arxiv.org/pdf/2012.09161v2.pdf",
        "https://arxiv.org/abs/2012.09161v1",
        "https://www.arxiv.org/abs/2012.09161/",
        "https://arxiv.org/html/2012.09161v3",
        "arXiv:2012.09161",
        "https://arxiv.org/abs/2012.09161?context=cs#x",
    ],
)
def test_every_arxiv_link_form_gives_one_paper_id(url):
    assert ids.arxiv_id_from_url(url) == "2012.09161"
    assert ids.paper_id(url) == "paper:arxiv:2012.09161"


def test_old_style_arxiv_ids():
    assert ids.arxiv_id_from_url("https://arxiv.org/abs/cs/0112017v1") == "cs/0112017"


def test_non_arxiv_links_have_no_arxiv_id():
    assert ids.arxiv_id_from_url("https://example.org/abs/2012.09161") is None
    url = "https://openaccess.thecvf.com/content/ICCV2021/papers/Cho_X_ICCV_2021_paper.pdf"
    assert ids.paper_id(url) == "paper:url:openaccess.thecvf.com/content/ICCV2021/papers/Cho_X_ICCV_2021_paper.pdf"
    assert ids.paper_id("HTTPS://OpenAccess.TheCVF.com/a/b/") == "paper:url:openaccess.thecvf.com/a/b"


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/yinboc/liif",
        "https://github.com/yinboc/liif/",
        "https://github.com/yinboc/liif.git",
        "http://www.github.com/yinboc/liif/tree/main/models",
        "github.com/yinboc/liif/blob/main/README.md",
        "https://github.com/YinboC/LIIF",
    ],
)
def test_every_github_link_form_gives_one_code_id(url):
    assert ids.code_id(url) == "code:github.com/yinboc/liif"


def test_github_links_that_are_not_repositories():
    assert ids.github_repo_url("https://github.com/orgs/openmmlab") is None
    assert ids.github_repo_url("https://gitlab.com/a/b") is None
    assert ids.github_repo_url("https://github.com/yinboc") is None


def test_cvf_title_from_pdf_name():
    url = "https://openaccess.thecvf.com/content/ICCV2021/papers/Cho_Rethinking_Coarse-To-Fine_Approach_in_Single_Image_Deblurring_ICCV_2021_paper.pdf"
    assert ids.title_from_cvf_url(url) == "Rethinking Coarse-To-Fine Approach in Single Image Deblurring"
    assert ids.title_from_cvf_url("https://arxiv.org/abs/2012.09161") is None


def test_question_id_ignores_case_and_spacing():
    assert ids.question_id("How does  AI upscale?") == ids.question_id("how does ai upscale?\n")
    assert ids.question_id("a") != ids.question_id("b")


def test_slug_and_task_ids():
    assert ids.task_id("Image Matting") == "task:image-matting"
    assert ids.dataset_id("ISIC Atlas") == "dataset:isic-atlas"
    assert ids.slug("Café  ×  Ünïcode") == "cafe-unicode"
