"""An Answer as the seed prompt (seeds 000-003): the question, recommended models and related papers, then "Answer:".

It hands the grounded context to a language model of the user's choice; `modelatlas ingest` reads it back.
"""

from __future__ import annotations

from modelatlas.explain.answer import Answer

PREAMBLE = """You are an AI scientist.

A user has asked the following question:
"{question}"

Based on the following recommended models, explain:

1. What task the user is trying to perform.
2. How the model(s) would work in a CNAPS AI-like workflow (input → model → output).
3. List relevant papers and tools (with GitHub or ArXiv links) that support your answer.

Use **only the provided models and papers**. Do not refer to outside sources.
"""


def render_prompt(answer: Answer) -> str:
    """The prompt in the seeds' exact layout, filled from the graph; with no confident answer, no models."""
    lines = [PREAMBLE.format(question=" ".join(answer.question.replace('"', "'").split())), "### Recommended AI Models:"]
    for step in answer.workflow:
        lines += [
            f"Model: {_one_line(step.model_name)}",
            f"Paper: {step.paper.url if step.paper and step.paper.url else 'None'}",
            f"GitHub: {step.code.url if step.code and step.code.url else 'None'}",
            "",
        ]
    if not answer.workflow:
        lines.append("")
    lines.append("### Related Papers:")
    own = {s.paper.node_id for s in answer.workflow if s.paper}
    for paper in (p for p in answer.papers if p.id not in own and p.url):
        lines += [f"Model: {_one_line(paper.title)}", f"Paper: {paper.url}"]
        lines += [f"GitHub: {paper.code[0].url}"] if paper.code and paper.code[0].url else []
        lines += [f"Summary: {_one_line(paper.summary)}"] if paper.summary else []
        lines.append("")
    lines += ["", "Answer:", ""]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    """Catalog text on one line, so that it cannot open a new field or section of the prompt."""
    return " ".join(text.split())
