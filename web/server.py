"""`modelatlas serve`: the question page, a page per model, task and paper, the graph page, and the JSON API.

The Atlas (graph, index and embedding model) is loaded once when the server starts; every request is
answered warm and reads only. The answer page shows the CLI's own Markdown answer rendered to HTML,
so the browser and the terminal say the same thing; the API returns the CLI's `--json` objects.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated
from urllib.parse import quote

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from modelatlas.atlas import Atlas
from modelatlas.graph.errors import AtlasError, QuestionTooLongError, UnknownNodeError
from modelatlas.graph.types import NodeKind, Relation
from modelatlas.graph.views import MAX_DEPTH, neighbourhood, whole
from modelatlas.query.question import MAX_QUESTION_CHARS

PAGE_VIEW_NODES = 150  # the neighbourhood pictures on node pages
GRAPH_PAGE_NODES = 400
ASSETS = {"vis-network.min.js": "application/javascript", "atlas-graph.js": "application/javascript", "atlas-graph.css": "text/css"}
_KIND_PATHS = {NodeKind.MODEL: "models", NodeKind.TASK: "tasks", NodeKind.PAPER: "papers"}


def node_path(node_id: str, kind: str | None = None) -> str:
    """The page of a node: /models/…, /tasks/…, /papers/…, else /nodes/…."""
    prefix = _KIND_PATHS.get(NodeKind(kind), "nodes") if kind else "nodes"
    return f"/{prefix}/{quote(node_id, safe=':@')}"


def _templates() -> Environment:
    env = Environment(loader=PackageLoader("modelatlas.web", "templates"), autoescape=select_autoescape(default=True))
    env.filters["node_path"] = lambda node: node_path(node.id, str(node.kind))
    env.filters["web_url"] = lambda url: url if isinstance(url, str) and url.startswith(("https://", "http://")) else None
    env.globals["question_limit"] = MAX_QUESTION_CHARS
    return env


def _markdown_html(markdown: str) -> str:
    """The CLI's Markdown answer as HTML: raw HTML in it stays text, links other than http(s) are dropped."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)


def create_app(atlas: Atlas) -> FastAPI:
    """The web application over one loaded Atlas."""
    templates = _templates()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        atlas.ask("warm up the embedding model and the index")  # loads everything once, before the first request
        yield

    app = FastAPI(title="ModelAtlas", summary="Which AI models and papers fit what you did to your images", lifespan=lifespan)

    def page(name: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(**context), status_code=status)

    @app.exception_handler(AtlasError)
    async def atlas_error(request: Request, err: AtlasError) -> Response:
        status = 404 if isinstance(err, UnknownNodeError) else 413 if isinstance(err, QuestionTooLongError) else 400
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(err)}, status_code=status)
        return page("error.html", status, message=str(err), title="Error")

    # --- pages -------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        examples = [q.name for q in atlas.catalog.nodes(NodeKind.QUESTION)]
        counts = atlas.catalog.counts()["nodes"]
        return page("index.html", title="Ask", examples=examples, counts=counts)

    @app.get("/ask", response_class=HTMLResponse, include_in_schema=False)
    def ask_page(q: str = "") -> HTMLResponse:
        answer = atlas.ask(q)
        catalog = atlas.catalog
        explore = [catalog.node(t.id) for t in answer.tasks] + [catalog.node(w.model_id) for w in answer.workflow]
        explore += [catalog.node(p.id) for p in answer.papers]
        return page("answer.html", title="Answer", question=answer.question, answer_html=_markdown_html(answer.markdown), answer=answer, explore=explore)

    @app.get("/models/{node_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def model_page(node_id: str) -> HTMLResponse:
        from modelatlas.graph.facts import QUANTITIES, format_quantity

        model = atlas.catalog.find(NodeKind.MODEL, node_id)
        catalog = atlas.catalog
        stated = [format_quantity(q, getattr(model, q)) for q in QUANTITIES if getattr(model, q) is not None]
        return page(
            "node.html",
            title=model.name,
            node=model,
            stated=stated,
            sections=[
                ("Tasks", catalog.tasks_of_model(model.id), None),
                ("Code", catalog.code_of(model.id), None),
                ("Datasets", catalog.targets(model.id, Relation.USES_DATASET), None),
                ("Fine-tuned from", catalog.targets(model.id, Relation.FINE_TUNED_FROM), None),
            ],
            related=atlas.papers_json(model.id)["papers"],
            depth=2,
        )

    @app.get("/tasks/{node_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def task_page(node_id: str) -> HTMLResponse:
        from modelatlas.graph.methods import method_of
        from modelatlas.query.leaderboard import boards_of

        task = atlas.catalog.find(NodeKind.TASK, node_id)
        catalog = atlas.catalog
        models = catalog.origins(task.id, Relation.PERFORMS)
        methods = sorted({m for m in (method_of(catalog, x.id) for x in models) if m}, key=lambda m: m.name.lower())
        alone = [x for x in models if method_of(catalog, x.id) is None]  # checkpoints stay hidden behind their method
        boards = [(name, metric, f"/leaderboards/{quote(task.id, safe=':')}?dataset={quote(d)}&metric={quote(metric)}") for d, name, metric, _ in boards_of(catalog, task)]
        return page(
            "node.html",
            title=task.name,
            node=task,
            sections=[
                ("Broader tasks", catalog.broader_tasks(task.id), None),
                ("Narrower tasks", catalog.narrower_tasks(task.id), None),
                ("Papers that address it", catalog.origins(task.id, Relation.ADDRESSES), None),
                (f"Methods that perform it ({len(models)} checkpoints in all)", methods, None),
                ("Models of no method", alone[:100], len(alone)),
            ],
            related=[],
            boards=boards[:12],
            depth=1,
        )

    @app.get("/leaderboards/{node_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def leaderboard_page(node_id: str, dataset: str | None = None, metric: str | None = None, checkpoints: bool = False) -> HTMLResponse:
        from modelatlas.explain.leaderboard import STYLE, leaderboard_html
        from modelatlas.query.leaderboard import boards_of

        board, task = _board(node_id, dataset, metric, checkpoints)
        here = f"/leaderboards/{quote(task.id, safe=':')}?dataset={quote(board.dataset_id)}&metric={quote(board.metric)}"
        others = [(d, name, m, f"/leaderboards/{quote(task.id, safe=':')}?dataset={quote(d)}&metric={quote(m)}")
                  for d, name, m, _ in boards_of(atlas.catalog, task) if (d, m) != (board.dataset_id, board.metric)][:12]
        return page(
            "leaderboard.html", title=f"{task.name} leaderboard", board=board, style=STYLE, others=others,
            board_html=leaderboard_html(board, model_href="/models/"),
            toggle_url=here + ("" if checkpoints else "&checkpoints=true"),
        )

    def _board(node_id: str, dataset: str | None, metric: str | None, checkpoints: bool):
        from modelatlas.query.leaderboard import build_leaderboard, find_task

        catalog = atlas.catalog
        task = find_task(catalog, node_id)
        datasets = (catalog.find(NodeKind.DATASET, dataset).id,) if dataset else ()
        board = build_leaderboard(catalog, task, datasets=datasets, metric=metric, by_method=not checkpoints)
        if board is None:
            raise UnknownNodeError(node_id, "no results to rank for this task, dataset and metric", [], "leaderboard")
        return board, task

    @app.get("/papers/{node_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def paper_page(node_id: str) -> HTMLResponse:
        paper = atlas.catalog.find(NodeKind.PAPER, node_id)
        catalog = atlas.catalog
        models = catalog.origins(paper.id, Relation.DESCRIBED_IN)
        return page(
            "node.html",
            title=paper.name,
            node=paper,
            sections=[
                ("Tasks it addresses", catalog.targets(paper.id, Relation.ADDRESSES), None),
                ("Code", catalog.code_of(paper.id), None),
                ("Models it describes", models[:100], len(models)),
                ("Cited beside a model for these questions", catalog.origins(paper.id, Relation.RELATED_TO), None),
            ],
            related=[],
            depth=2,
        )

    @app.get("/nodes/{node_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def any_node_page(node_id: str) -> Response:
        catalog = atlas.catalog
        if node_id not in catalog:
            raise UnknownNodeError(node_id, "no such node in the catalog", [], "node")
        node = catalog.node(node_id)
        if node.kind in _KIND_PATHS:
            return RedirectResponse(node_path(node.id, str(node.kind)))
        neighbours = [catalog.node(n) for n in catalog.neighbours(node.id)]
        return page("node.html", title=node.name, node=node, sections=[("Linked to", neighbours[:100], len(neighbours))], related=[], depth=1)

    @app.get("/graph", response_class=HTMLResponse, include_in_schema=False)
    def graph_page(kind: Annotated[list[str] | None, Query()] = None, task: str | None = None) -> HTMLResponse:
        tasks = [t for t in atlas.catalog.nodes(NodeKind.TASK) if t.curated]
        whole(atlas.catalog, set(kind) if kind else None, task or None, 1)  # reject a bad filter here, as a page
        return page("graph.html", title="Graph", kinds=[str(k) for k in NodeKind], chosen=kind or [], tasks=tasks, task=task or "", max_nodes=GRAPH_PAGE_NODES)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name == "style.css":
            css = resources.files("modelatlas.web").joinpath("static", "style.css").read_text(encoding="utf-8")
            return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})
        if name not in ASSETS:
            return Response("not found", status_code=404, media_type="text/plain")
        from modelatlas.explain.viz import asset

        return Response(asset(name), media_type=ASSETS[name], headers={"Cache-Control": "max-age=3600"})

    # --- API ---------------------------------------------------------------------------------------

    @app.get("/api/ask", summary="Answer a question (the CLI's `ask --json` object)")
    def api_ask(q: Annotated[str, Query(description=f"The question, at most {MAX_QUESTION_CHARS} characters")], why: bool = False) -> dict:
        return atlas.ask(q, why=why).to_json()

    @app.get("/api/models/{model:path}/papers", summary="The papers related to a model (the CLI's `papers --json` object)")
    def api_papers(model: str) -> dict:
        return atlas.papers_json(model)

    @app.get("/api/leaderboards/{task:path}", summary="A task's leaderboard (the CLI's `leaderboard --json` object)")
    def api_leaderboard(task: str, dataset: str | None = None, metric: str | None = None, checkpoints: bool = False) -> dict:
        from modelatlas.explain.leaderboard import leaderboard_json

        return leaderboard_json(_board(task, dataset, metric, checkpoints)[0])

    @app.get("/api/graph", summary="Nodes and edges to draw: a node's neighbourhood, or the whole graph filtered by kind and task")
    def api_graph(
        center: Annotated[str | None, Query(description="A node id: draw its neighbourhood")] = None,
        depth: Annotated[int, Query(ge=0, le=MAX_DEPTH)] = 2,
        kind: Annotated[list[str] | None, Query(description="Whole graph: keep nodes of these kinds")] = None,
        task: Annotated[str | None, Query(description="Whole graph: keep what belongs to this task id")] = None,
        max_nodes: Annotated[int, Query(ge=1, le=5000)] = GRAPH_PAGE_NODES,
        checkpoints: Annotated[bool, Query(description="Draw every checkpoint instead of one node per method")] = False,
    ) -> dict:
        from modelatlas.explain.viz import view_data

        catalog = atlas.catalog
        if center:
            if center not in catalog:
                raise UnknownNodeError(center, "no such node in the catalog", [], "node")
            view = neighbourhood(catalog, center, depth, max_nodes, methods=not checkpoints)
        else:
            view = whole(catalog, set(kind) if kind else None, task or None, max_nodes, methods=not checkpoints)
        return view_data(catalog, view)

    return app


def serve(atlas: Atlas, host: str, port: int) -> None:
    """Run the server until interrupted; an address that cannot be listened on is one ServeError line."""
    import socket
    import sys

    import uvicorn

    if not 0 <= port <= 65535:
        raise ServeError(f"port {port}: choose a port from 0 to 65535")
    try:  # bound here, so that a port in use or an unknown host is our one-line error, not the server's log
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except (OSError, UnicodeError, ValueError) as err:
        raise ServeError(f"cannot listen on {host}:{port} ({getattr(err, 'strerror', None) or err})") from None
    config = uvicorn.Config(create_app(atlas), log_level="info", log_config=None)
    print(f"serving ModelAtlas on http://{host}:{sock.getsockname()[1]}/ (Ctrl-C stops it)", file=sys.stderr, flush=True)
    uvicorn.Server(config).run(sockets=[sock])


class ServeError(AtlasError):
    """An address the server cannot listen on."""

