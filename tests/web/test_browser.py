"""The pages in a real browser: Debian's Chromium driven by Playwright against the real server.

Screenshots are left in test-artifacts/ (or $MODELATLAS_TEST_ARTIFACTS) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEED_MODELS
from tests.web.test_api import _seed_question

CHROMIUM = Path("/usr/bin/chromium")
# As root in a container Chromium needs --no-sandbox; the rest keep it from calling hosts this machine cannot reach.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# How many pixels of the graph canvas differ from its white background: vis-network draws on a canvas.
DRAWN_PIXELS = """(selector) => {
  const canvas = document.querySelector(selector + " canvas");
  const ctx = canvas.getContext("2d");
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) drawn++;
  }
  return drawn;
}"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "the browser tests need Debian's chromium at /usr/bin/chromium (scripts/setup.sh --test installs it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def test_a_seed_question_typed_into_the_page_is_answered_with_the_seed_model_and_links(server, page, artifacts):
    question = _seed_question("001")
    page.goto(server.url + "/")
    page.fill("#question", question)
    page.click("#ask-button")
    page.wait_for_selector("#answer")
    answer = page.inner_text("#answer")
    assert SEED_MODELS["001"] in answer
    assert "arbitrary-scale single-image super-resolution" in answer
    hrefs = page.eval_on_selector_all("#answer a", "links => links.map(a => a.href)")
    assert "https://arxiv.org/abs/2012.09161" in hrefs and "https://github.com/yinboc/liif" in hrefs
    page.screenshot(path=str(artifacts / "answer-page.png"), full_page=True)


def test_the_model_page_from_the_answer_shows_its_papers_and_draws_its_neighbourhood(server, page, artifacts):
    page.goto(server.url + "/ask?q=" + "how do i upscale a tiny thumbnail to poster size")
    page.click(".explore a:has-text('SISR-Any-LIIF-RDN')")
    page.wait_for_selector("#graph[data-drawn]", timeout=60_000)
    assert page.inner_text("h1") == "SISR-Any-LIIF-RDN"
    assert "Learning Continuous Image Representation with Local Implicit Image Function" in page.inner_text("#related-papers")
    assert int(page.get_attribute("#graph", "data-drawn")) >= 5
    assert page.evaluate(DRAWN_PIXELS, "#graph") > 2000
    page.screenshot(path=str(artifacts / "model-page.png"), full_page=True)


def test_the_graph_page_draws_nodes_and_filters_by_task(server, page, artifacts):
    page.goto(server.url + "/graph?task=task:single-image-super-resolution")
    page.wait_for_selector("#graph[data-drawn]", timeout=60_000)
    assert int(page.get_attribute("#graph", "data-drawn")) > 20
    assert page.evaluate(DRAWN_PIXELS, "#graph") > 5000
    assert "task" in page.inner_text("#legend") and "paper" in page.inner_text("#legend")
    page.screenshot(path=str(artifacts / "graph-page.png"))
    page.goto(server.url + "/graph?kind=task")
    page.wait_for_selector("#graph[data-drawn]", timeout=60_000)
    kinds = page.evaluate("() => [...new Set(window.atlasNetwork.body.data.nodes.get().map(n => n.group))]")
    assert kinds == ["task"]


def test_hostile_catalog_text_shows_as_text_and_runs_nothing(hostile_server, page, artifacts):
    page.goto(hostile_server.url + "/ask?q=How does AI upscale pixel art sprites by 4x?")
    page.wait_for_selector("#answer")
    assert "<script>window.__xss=1</script>" in page.inner_text("#answer")
    page.click(".explore a:has-text('SISR-Evil')")
    page.wait_for_selector("#graph[data-drawn]", timeout=60_000)
    assert "<script>" in page.inner_text("h1")
    page.hover("#graph")
    page.screenshot(path=str(artifacts / "hostile-model-page.png"), full_page=True)
    page.goto(hostile_server.url + "/graph")
    page.wait_for_selector("#graph[data-drawn]", timeout=60_000)
    assert page.evaluate("() => window.__xss") is None
    assert page.dialogs == []


def test_the_leaderboard_page_reached_from_the_task_page_sorts_and_marks_the_pareto_front(server, page, artifacts):
    page.goto(server.url + "/tasks/task:image-classification")
    assert page.locator("#leaderboards").is_visible()
    page.locator("a.board-link").first.click()
    page.wait_for_selector("table.board tbody tr")
    first = page.locator("table.board tbody tr").first.locator("td").nth(3).inner_text()
    values = [float(v) for v in page.locator("table.board tbody tr td:nth-child(4)").all_inner_texts()]
    assert float(first) == max(values) and values == sorted(values, reverse=True)  # best first
    assert page.locator("svg.scatter circle.point").count() > 20
    assert page.locator("table.board tr.pareto").count() >= 3  # the front is marked in the table too
    page.locator("table.board th", has_text="parameters").click()  # sort by size: the smallest first
    keys = [page.locator("table.board tbody tr").nth(i).locator("td").nth(4).get_attribute("data-sort") for i in range(5)]
    sizes = [float(k) for k in keys if k]
    assert sizes == sorted(sizes)
    page.screenshot(path=str(artifacts / "leaderboard-page.png"), full_page=True)
    page.locator("#toggle-checkpoints").click()
    page.wait_for_selector("table.board tbody tr")
    assert page.locator("table.board tbody tr").count() > len(values)  # every checkpoint, not one per method
