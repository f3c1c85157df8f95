"""Pictures of the graph: a view's nodes and edges as vis-network data, a self-contained HTML page,
a static PNG or SVG (matplotlib), or GraphML / GEXF for Gephi and other graph tools.
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.errors import ViewError
from modelatlas.graph.store import write_atomically
from modelatlas.graph.types import NodeKind
from modelatlas.graph.views import GraphView


@dataclass(frozen=True)
class KindStyle:
    label: str
    color: str
    shape: str  # a vis-network shape; the static image maps it to a matplotlib marker


STYLES = MappingProxyType({
    NodeKind.TASK: KindStyle("task", "#f4a261", "box"),
    NodeKind.MODEL: KindStyle("model", "#5fa8d3", "dot"),
    NodeKind.PAPER: KindStyle("paper", "#8ac926", "diamond"),
    NodeKind.CODE: KindStyle("code repository", "#b8b8b8", "square"),
    NodeKind.DATASET: KindStyle("dataset", "#c77dff", "triangle"),
    NodeKind.QUESTION: KindStyle("catalog question", "#ffd166", "star"),
    NodeKind.METHOD: KindStyle("method", "#2a9d8f", "hexagon"),
})
_MARKERS = {"box": "s", "dot": "o", "diamond": "D", "square": "s", "triangle": "^", "star": "*", "hexagon": "h"}
LABEL_CHARS = 40
FORMATS = (".html", ".png", ".svg", ".graphml", ".gexf")


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "\u2026"


def _details(node) -> str:
    """The hover text of a node: kind, name, its description or summary, its link; plain text."""
    lines = [f"{STYLES[node.kind].label}: {node.name}", node.id]
    about = getattr(node, "description", "") or getattr(node, "summary", "")
    if about:
        about = " ".join(about.split())
        lines.append(about if len(about) <= 300 else about[:299] + "\u2026")
    if getattr(node, "url", None):
        lines.append(node.url)
    return "\n".join(lines)


def view_data(catalog: CatalogGraph, view: GraphView) -> dict:
    """A view as JSON-ready data: nodes, the edges among them, styles by kind, and whether nodes were left out."""
    kept = set(view.node_ids)
    nodes = []
    for node_id in view.node_ids:
        node = catalog.node(node_id)
        nodes.append({"id": node.id, "kind": str(node.kind), "name": node.name, "label": _label(node.name), "title": _details(node), "url": getattr(node, "url", None)})
    as_method = dict(view.merged)  # a merged checkpoint's edges are drawn from its method
    drawn = {
        (as_method.get(u, u), as_method.get(v, v), key)
        for u in sorted(kept | {checkpoint for checkpoint, method in view.merged if method in kept})
        for v in catalog.neighbours(u)
        for key in catalog.relations(u, v)
    }
    edges = [{"source": u, "target": v, "relation": key} for u, v, key in drawn if u in kept and v in kept and u != v]
    edges.sort(key=lambda e: (e["source"], e["target"], e["relation"]))
    styles = {str(kind): {"label": s.label, "color": s.color, "shape": s.shape} for kind, s in STYLES.items()}
    return {"center": view.center, "truncated": view.truncated, "total": view.total, "nodes": nodes, "edges": edges, "styles": styles}


def asset(name: str) -> str:
    """A shipped file of the drawing (vis-network, the drawing script, its style sheet)."""
    return resources.files("modelatlas.explain").joinpath("assets", name).read_text(encoding="utf-8")


def _inline_json(data: dict) -> str:
    """JSON that can sit inside a <script> element: no character of it can close the element."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(data: dict, title: str) -> str:
    """A page that draws the view with no network access: vis-network and the data are inlined."""
    note = f"Showing {len(data['nodes'])} of {data['total']} nodes, nearest first." if data["truncated"] else f"{len(data['nodes'])} nodes, {len(data['edges'])} edges."
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · ModelAtlas</title>
<style>{asset("atlas-graph.css")}
body {{ font-family: system-ui, sans-serif; margin: 0; }}
header {{ padding: 8px 16px; }}
h1 {{ font-size: 1.1rem; margin: 0 0 4px; }}
#graph {{ width: 100vw; height: calc(100vh - 90px); border-top: 1px solid #ddd; }}
</style>
</head>
<body>
<header><h1>{html.escape(title)}</h1><div>{html.escape(note)} Drag to pan, scroll to zoom, hover for details, click a paper or repository to open it.</div>
<div id="legend" class="atlas-legend"></div></header>
<div id="graph"></div>
<script type="application/json" id="graph-data">{_inline_json(data)}</script>
<script>{asset("vis-network.min.js")}</script>
<script>{asset("atlas-graph.js")}</script>
<script>AtlasGraph.draw(document.getElementById("graph"), document.getElementById("legend"), JSON.parse(document.getElementById("graph-data").textContent));</script>
</body>
</html>
"""




def write_view(catalog: CatalogGraph, view: GraphView, path: Path, title: str) -> None:
    """Write a view to `path`, in the format its ending names; the file appears whole or not at all."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ViewError(f"{path}: unknown picture format {suffix or '(none)'!r}: end the file name in {', '.join(FORMATS)}")
    data = view_data(catalog, view)
    if suffix == ".html":
        content = render_html(data, title).encode("utf-8")
    elif suffix in (".png", ".svg"):
        content = _static_image(data, suffix[1:], title)
    else:
        content = _graph_file(data, suffix)
    write_atomically(path, content)


def _static_image(data: dict, file_format: str, title: str) -> bytes:
    """A drawing for reports: spring layout, nodes by kind, names on all but model nodes of big views."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(n["id"] for n in data["nodes"])
    graph.add_edges_from((e["source"], e["target"]) for e in data["edges"])
    few = len(data["nodes"]) <= 60
    layout = nx.kamada_kawai_layout(graph.to_undirected()) if len(data["nodes"]) <= 150 else nx.spring_layout(graph, seed=7, iterations=80)
    size = 9 if few else 14
    figure, axes = plt.subplots(figsize=(size, size * 0.75), dpi=120)
    nx.draw_networkx_edges(graph, layout, ax=axes, edge_color="#aaaaaa", arrows=len(data["edges"]) <= 300, arrowsize=8, width=0.6)
    for kind, style in data["styles"].items():
        ids = [n["id"] for n in data["nodes"] if n["kind"] == kind]
        if ids:
            nx.draw_networkx_nodes(graph, layout, nodelist=ids, ax=axes, node_color=style["color"], node_shape=_MARKERS[style["shape"]],
                                   node_size=[360 if i == data["center"] else 120 for i in ids], edgecolors="#333333", linewidths=0.5, label=style["label"])
    models = sum(1 for n in data["nodes"] if n["kind"] == "model")
    labels = {n["id"]: n["label"] for n in data["nodes"] if n["kind"] != "model" or models <= 12 or n["id"] == data["center"]}
    nx.draw_networkx_labels(graph, layout, labels=labels, ax=axes, font_size=7)
    if len(data["edges"]) <= 30:
        nx.draw_networkx_edge_labels(graph, layout, edge_labels={(e["source"], e["target"]): e["relation"] for e in data["edges"]}, ax=axes, font_size=6)
    axes.set_title(title, fontsize=10)
    axes.legend(loc="best", fontsize=7, markerscale=0.8)
    axes.axis("off")
    buffer = io.BytesIO()
    figure.savefig(buffer, format=file_format, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _graph_file(data: dict, suffix: str) -> bytes:
    """GraphML or GEXF: every node with its kind, name and link; every edge keyed and labelled by its relation."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for n in data["nodes"]:
        graph.add_node(n["id"], kind=n["kind"], label=n["name"], url=n["url"] or "")
    for e in data["edges"]:
        graph.add_edge(e["source"], e["target"], key=e["relation"], relation=e["relation"], label=e["relation"])
    buffer = io.BytesIO()
    (nx.write_graphml if suffix == ".graphml" else nx.write_gexf)(graph, buffer)
    return buffer.getvalue()
