"""A leaderboard for people: a Markdown table, JSON, and an accuracy-versus-size scatter with its Pareto front
(SVG inside a self-contained HTML page with a sortable table, or PNG/SVG through matplotlib)."""

from __future__ import annotations

import html
from pathlib import Path

from modelatlas.explain.markdown import count_cell
from modelatlas.graph.errors import ViewError
from modelatlas.graph.facts import QUANTITIES, format_quantity
from modelatlas.query.leaderboard import Entry, Leaderboard, stated

_AXES = ("parameters", "flops", "inference_ms", "training_memory_gb")  # the first one most entries state is the x axis


def x_quantity(board: Leaderboard) -> str | None:
    """The size or speed the scatter plots against: the one most of the entries state."""
    counts = {q: sum(stated(e.model, q) is not None for e in board.entries) for q in _AXES}
    best = max(_AXES, key=lambda q: counts[q])
    return best if counts[best] else None


def pareto_front(board: Leaderboard, quantity: str) -> set[str]:
    """The model ids no other entry beats on both axes: no larger in `quantity` and no worse in the metric."""
    points = [(stated(e.model, quantity), e.value if board.higher_is_better else -e.value, e.model.id) for e in board.entries]
    points = [p for p in points if p[0] is not None]
    front, best = set(), float("-inf")
    for x, y, model_id in sorted(points, key=lambda p: (p[0], -p[1])):
        if y > best:
            front.add(model_id)
            best = y
    return front


def leaderboard_json(board: Leaderboard) -> dict:
    """The `leaderboard --json` object."""
    quantity = x_quantity(board)
    front = pareto_front(board, quantity) if quantity else set()
    return {
        "task": {"id": board.task.id, "name": board.task.name},
        "dataset": {"id": board.dataset_id, "name": board.dataset_name},
        "metric": board.metric,
        "higher_is_better": board.higher_is_better,
        "by_method": board.by_method,
        "constraints": [{"quantity": c.quantity, "limit": c.limit, "text": c.text} for c in board.constraints],
        "rows": [_row(rank, e, e.model.id in front) for rank, e in enumerate(board.entries, 1)],
        "left_out": [{"model": x.entry.model.id, "reason": x.reason, "kind": x.kind} for x in board.excluded],
        "set_aside": [{"model": x.entry.model.id, "reason": x.reason} for x in board.set_aside],
    }


def _row(rank: int, entry: Entry, on_front: bool) -> dict:
    model = entry.model
    return {
        "rank": rank, "model": model.id, "name": model.name,
        "method": {"id": entry.method.id, "name": entry.method.name} if entry.method else None,
        "value": entry.value, "parameters": model.parameters, "flops": model.flops, "inference_ms": model.inference_ms,
        "training_memory_gb": model.training_memory_gb, "license": model.license, "pareto": on_front,
        "doubts": list(model.doubts),
    }


def leaderboard_text(board: Leaderboard) -> str:
    """The leaderboard as a Markdown table, with what the constraints left out."""
    better = "higher" if board.higher_is_better else "lower"
    unit = "method (its best checkpoint)" if board.by_method else "checkpoint"
    lines = [f"{board.task.name} on {board.dataset_name}, by {board.metric} ({better} is better), one row per {unit}", ""]
    for c in board.constraints:
        lines.append(f"Constraint: {c.text}")
    lines += ["| # | method | checkpoint | " + board.metric + " | parameters | FLOPs | ms/image |", "|---|---|---|---|---|---|---|"]
    for rank, e in enumerate(board.entries, 1):
        m = e.model
        cells = [str(rank), e.method.name if e.method else "—", m.name, f"{e.value:g}", count_cell(m.parameters, "B"), count_cell(m.flops), f"{m.inference_ms:g}" if m.inference_ms else "—"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if not board.entries:
        lines.append("| | no checkpoint keeps the constraints | | | | | |")
    lines += [f"{x.entry.model.name}: {x.reason}." for x in board.set_aside]
    if board.excluded:
        lines += ["", f"{len(board.excluded)} checkpoint{'s' if len(board.excluded) != 1 else ''} left out by the constraints."]
        lines += [f"  nearest: {x.entry.model.name}: {x.reason}" for x in board.nearest()]
    return "\n".join(lines) + "\n"


def write_plot(board: Leaderboard, path: Path) -> None:
    """The scatter as .html (self-contained, with the sortable table), .png or .svg."""
    suffix = path.suffix.lower()
    if suffix == ".html":
        page = f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(_title(board))}</title><style>{STYLE}</style></head>"
        page += f"<body><h1>{html.escape(_title(board))}</h1>{leaderboard_html(board)}</body></html>\n"
        path.write_text(page, encoding="utf-8")
        return
    if suffix not in (".png", ".svg"):
        raise ViewError(f"{path}: a leaderboard plot is .html, .png or .svg")
    quantity = x_quantity(board)
    if quantity is None:
        raise ViewError(f"{path}: none of these checkpoints states a size or a speed to plot against")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    front = pareto_front(board, quantity)
    xs = [(stated(e.model, quantity), e.value, e) for e in board.entries if stated(e.model, quantity) is not None]
    fig, ax = plt.subplots(figsize=(9, 6), dpi=110)
    ax.scatter([x for x, _, e in xs if e.model.id not in front], [y for x, y, e in xs if e.model.id not in front], c="#8aa4c8", label="checkpoint")
    on = sorted((x, y, e) for x, y, e in xs if e.model.id in front)
    ax.plot([x for x, _, _ in on], [y for _, y, _ in on], "-o", c="#c0392b", label="Pareto front")
    for x, y, e in on:
        ax.annotate(e.method.name if e.method else e.model.name, (x, y), fontsize=7, xytext=(4, 4), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_xlabel(QUANTITIES[quantity].label + (f" ({QUANTITIES[quantity].unit})" if QUANTITIES[quantity].unit else ""))
    ax.set_ylabel(f"{board.metric} ({'higher' if board.higher_is_better else 'lower'} is better)")
    ax.set_title(_title(board))
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _title(board: Leaderboard) -> str:
    return f"{board.task.name} on {board.dataset_name}: {board.metric}"


STYLE = (
    "body{font:14px system-ui,sans-serif;margin:1.5rem;color:#222}table.board{border-collapse:collapse;margin-top:1rem}"
    "table.board th,table.board td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}table.board th{cursor:pointer;background:#f2f4f8}"
    "tr.pareto td{font-weight:600}svg.scatter{border:1px solid #ddd;background:#fff}.note{color:#555}"
)


def leaderboard_html(board: Leaderboard, model_href: str | None = None) -> str:
    """The scatter (inline SVG) and the sortable table, every catalog text escaped; `model_href` links model pages."""
    quantity = x_quantity(board)
    front = pareto_front(board, quantity) if quantity else set()
    esc = html.escape
    parts = []
    if board.constraints:
        parts.append("<p class=note>" + "; ".join(esc(c.text) for c in board.constraints) + f"; {len(board.excluded)} checkpoints left out.</p>")
    parts.append(_scatter_svg(board, quantity, front) if quantity else "<p class=note>None of these checkpoints states a size or a speed to plot.</p>")
    head = ["#", "method", "checkpoint", board.metric, "parameters", "FLOPs", "ms/image", "licence"]
    rows = []
    for rank, e in enumerate(board.entries, 1):
        m = e.model
        name = esc(m.name)
        if model_href:
            name = f'<a href="{esc(model_href + m.id)}">{name}</a>'
        cells = [
            (rank, str(rank)), (e.method.name if e.method else "", esc(e.method.name) if e.method else "—"), (m.name, name),
            (e.value, f"{e.value:g}"), (m.parameters, count_cell(m.parameters, "B")), (m.flops, count_cell(m.flops)),
            (m.inference_ms, f"{m.inference_ms:g}" if m.inference_ms else "—"), (m.license or "", esc(m.license or "—")),
        ]
        tds = "".join(f'<td data-sort="{esc(str(key if key is not None else ""))}">{text}</td>' for key, text in cells)
        rows.append(f'<tr class="{"pareto" if m.id in front else ""}">{tds}</tr>')
    parts.append(
        '<table class="board" id="board"><thead><tr>' + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>"
        + "".join(rows) + "</tbody></table><p class=note>Bold rows are on the Pareto front; click a column to sort.</p>"
    )
    parts.append(_SORT_SCRIPT)
    return "\n".join(parts)


def _scatter_svg(board: Leaderboard, quantity: str, front: set[str]) -> str:
    """Metric against a size or speed (log scale), the Pareto front joined; each point's title names it."""
    import math

    points = [(stated(e.model, quantity), e.value, e) for e in board.entries if stated(e.model, quantity)]  # doubtful figures are not drawn
    width, height, pad = 720, 420, 56
    xs, ys = [math.log10(p[0]) for p in points], [p[1] for p in points]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y0, y1 = min(ys), max(ys) if max(ys) > min(ys) else min(ys) + 1
    sx = lambda v: pad + (math.log10(v) - x0) / (x1 - x0) * (width - 2 * pad)  # noqa: E731
    sy = lambda v: height - pad - (v - y0) / (y1 - y0) * (height - 2 * pad)  # noqa: E731
    esc = html.escape
    out = [f'<svg class="scatter" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    out.append(f'<text x="{width / 2}" y="{height - 12}" text-anchor="middle" font-size="12">{esc(QUANTITIES[quantity].label)} (log scale)</text>')
    out.append(f'<text x="14" y="{height / 2}" transform="rotate(-90 14 {height / 2})" text-anchor="middle" font-size="12">{esc(board.metric)}</text>')
    for value, x, anchor in ((10 ** x0, pad, "start"), (10 ** x1, width - pad, "end")):
        out.append(f'<text x="{x}" y="{height - pad + 16}" text-anchor="{anchor}" font-size="11">{esc(format_quantity(quantity, value))}</text>')
    for value in (y0, y1):
        out.append(f'<text x="{pad - 6}" y="{sy(value) + 4:.1f}" text-anchor="end" font-size="11">{value:g}</text>')
    on = sorted((x, y) for x, y, e in points if e.model.id in front)
    if len(on) > 1:
        out.append('<polyline fill="none" stroke="#c0392b" stroke-width="1.5" points="' + " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in on) + '"/>')
    for x, y, e in points:
        label = f"{e.method.name + ': ' if e.method else ''}{e.model.name} — {board.metric} {y:g}, {format_quantity(quantity, x)}"
        colour = "#c0392b" if e.model.id in front else "#6f8fbf"
        out.append(f'<circle class="point" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="5" fill="{colour}"><title>{esc(label)}</title></circle>')
    out.append("</svg>")
    return "".join(out)


_SORT_SCRIPT = """<script>
document.querySelectorAll('table.board th').forEach((th, col) => th.addEventListener('click', () => {
  const body = th.closest('table').tBodies[0], rows = Array.from(body.rows);
  const up = th.dataset.dir !== 'up'; th.dataset.dir = up ? 'up' : 'down';
  const key = r => { const v = r.cells[col].dataset.sort; const n = parseFloat(v); return v !== '' && !isNaN(n) ? n : v; };
  rows.sort((a, b) => { const x = key(a), y = key(b); if (x === '' || y === '') return x === '' ? 1 : -1; return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1); });
  rows.forEach(r => body.appendChild(r));
}));
</script>"""
