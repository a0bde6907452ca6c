"""Data lineage around one dataset: upstream sources and downstream derived datasets
(prov:wasDerivedFrom both ways), the processing activities in between, and a self-made
layered SVG of it (no script, no outside service; every text escaped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

import pyoxigraph as ox

from hdcat import queries

if TYPE_CHECKING:
    from hdcat.catalog import Catalog
    from hdcat.labels import Labels

MAX_DEPTH = 10
MAX_NODES = 300


@dataclass(frozen=True)
class Node:
    iri: str
    kind: str
    """'dataset' or 'activity'."""
    generation: int
    """0 for the start; negative upstream, positive downstream."""
    in_catalog: bool = True
    type: str | None = None
    """For an activity: its dct:type (a processing concept IRI)."""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str
    """'derived-from' (dataset -> source), 'generated-by' (dataset -> activity),
    'used' (activity -> dataset), 'informed-by' (activity -> activity)."""


@dataclass
class LineageGraph:
    start: str
    depth: int
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    truncated: bool = False

    @property
    def upstream(self) -> list[Node]:
        return sorted((n for n in self.nodes.values()
                       if n.kind == "dataset" and n.generation < 0),
                      key=lambda n: (-n.generation, n.iri))

    @property
    def downstream(self) -> list[Node]:
        return sorted((n for n in self.nodes.values()
                       if n.kind == "dataset" and n.generation > 0),
                      key=lambda n: (n.generation, n.iri))

    @property
    def datasets(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == "dataset"]


def lineage(catalog: Catalog, iri: str, depth: int = 3) -> LineageGraph:
    """The lineage of the dataset `iri`, `depth` derivation steps up and down (at most
    MAX_DEPTH; at most MAX_NODES datasets). Upstream nodes are walked only upward and
    downstream nodes only downward, so siblings do not flood the graph."""
    depth = max(0, min(int(depth), MAX_DEPTH))
    graph = LineageGraph(iri, depth)
    try:
        ox.NamedNode(iri)
    except ValueError:
        return graph
    gen: dict[str, int] = {iri: 0}
    edges: set[tuple[str, str]] = set()
    up: set[str] = {iri}
    down: set[str] = {iri}
    for step in range(1, depth + 1):
        if not up and not down:
            break
        text = queries.with_values(
            "lineage_step",
            up=[ox.NamedNode(x) for x in sorted(up)],
            down=[ox.NamedNode(x) for x in sorted(down)],
        )
        next_up: set[str] = set()
        next_down: set[str] = set()
        for row in catalog.store.query(text):
            other = row["other"]
            if not isinstance(other, ox.NamedNode):
                continue
            ds, o = row["ds"].value, other.value
            if row["dir"].value == "up":
                edges.add((ds, o))
                if o not in gen:
                    gen[o] = -step
                    next_up.add(o)
            else:
                edges.add((o, ds))
                if o not in gen:
                    gen[o] = step
                    next_down.add(o)
        if len(gen) > MAX_NODES:
            graph.truncated = True
            break
        up, down = next_up, next_down
    else:
        graph.truncated = bool(up or down) and _has_more(catalog, up, down)

    names = [ox.NamedNode(x) for x in gen]
    in_catalog = {
        row["ds"].value
        for row in catalog.store.query(queries.with_values("records_for_datasets", ds=names))
        if isinstance(row["ds"], ox.NamedNode)
    }
    for x, g in gen.items():
        graph.nodes[x] = Node(x, "dataset", g, x in in_catalog)
    graph.edges.extend(Edge(s, t, "derived-from") for s, t in sorted(edges))

    seen_edges: set[tuple[str, str, str]] = set()
    for row in catalog.store.query(queries.with_values("lineage_activities", ds=names)):
        act = row["act"]
        if not isinstance(act, ox.NamedNode):
            continue
        ds = row["ds"].value
        a = act.value
        if a not in graph.nodes:
            kind = row["type"].value if "type" in row else None
            graph.nodes[a] = Node(a, "activity", gen.get(ds, 0), True, kind)
        for edge in ((ds, a, "generated-by"),):
            seen_edges.add(edge)
        used = row["used"].value if "used" in row and isinstance(row["used"], ox.NamedNode) \
            else None
        if used is not None and used in graph.nodes:
            seen_edges.add((a, used, "used"))
        informed = row["informed"].value if "informed" in row and isinstance(
            row["informed"], ox.NamedNode) else None
        if informed is not None:
            seen_edges.add((a, informed, "informed-by"))
    graph.edges.extend(
        Edge(s, t, k) for s, t, k in sorted(seen_edges)
        if s in graph.nodes and t in graph.nodes
    )
    return graph


def _has_more(catalog: Catalog, up: set[str], down: set[str]) -> bool:
    text = queries.with_values(
        "lineage_step",
        up=[ox.NamedNode(x) for x in sorted(up)],
        down=[ox.NamedNode(x) for x in sorted(down)],
    )
    return bool(catalog.store.query(text))


# --------------------------------------------------------------------------- SVG

BOX_W = 210
BOX_H = 54
ACT_W = 150
ACT_H = 34
COL_GAP = 60
ROW_GAP = 22
PAD = 16


def _lines(text: str, width: int) -> list[str]:
    """Wrap `text` into at most two lines of about `width` units (CJK counts double)."""

    def units(ch: str) -> int:
        return 2 if ord(ch) > 0x2E80 else 1

    lines: list[str] = []
    current = ""
    used = 0
    for ch in text:
        if used + units(ch) > width:
            lines.append(current)
            current, used = "", 0
            if len(lines) == 2:
                break
        current += ch
        used += units(ch)
    else:
        lines.append(current)
        return [line.strip() for line in lines if line.strip()]
    last = lines[1] if len(lines) > 1 else lines[0]
    lines[-1] = last[:-1].rstrip() + "…"
    return [line.strip() for line in lines]


def to_svg(
    graph: LineageGraph,
    labels: Labels,
    lang: str,
    link: Callable[[str], str | None] | None = None,
    title: str | None = None,
) -> str:
    """A layered SVG of `graph`: one column per generation (activities between a dataset and
    its sources), data flowing left to right; dataset boxes link to their pages."""
    link = link or (lambda _iri: None)
    columns: dict[int, list[Node]] = {}
    for node in graph.nodes.values():
        col = node.generation * 2 + (-1 if node.kind == "activity" else 0)
        columns.setdefault(col, []).append(node)
    if not columns:
        columns[0] = []
    order = sorted(columns)
    for col in order:
        columns[col].sort(key=lambda n: (labels.label(n.iri, lang), n.iri))
    col_x: dict[int, int] = {}
    x = PAD
    for col in order:
        col_x[col] = x
        kinds = {n.kind for n in columns[col]}
        x += (BOX_W if "dataset" in kinds or not kinds else ACT_W) + COL_GAP
    width = x - COL_GAP + PAD
    tallest = max((sum((BOX_H if n.kind == "dataset" else ACT_H) + ROW_GAP for n in nodes)
                   for nodes in columns.values()), default=BOX_H)
    height = tallest - ROW_GAP + 2 * PAD + 10
    pos: dict[str, tuple[int, int, int, int]] = {}
    for col in order:
        nodes = columns[col]
        total = sum((BOX_H if n.kind == "dataset" else ACT_H) + ROW_GAP for n in nodes) - ROW_GAP
        y = PAD + max(0, (height - 2 * PAD - total) // 2)
        for n in nodes:
            w, h = (BOX_W, BOX_H) if n.kind == "dataset" else (ACT_W, ACT_H)
            pos[n.iri] = (col_x[col], y, w, h)
            y += h + ROW_GAP

    heading = title or ("数据血缘" if lang == "zh" else "Data lineage")
    start_label = labels.label(graph.start, lang)
    aria = f"{heading}: {start_label}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'class="lineage" role="img" aria-label="{escape(aria)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(aria)}</title>",
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
        "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
        "<path d=\"M0,0 L10,5 L0,10 z\" class=\"lineage-arrowhead\"/></marker></defs>",
    ]
    relation = {
        "derived-from": ("派生自", "derived from"),
        "generated-by": ("由…生成", "generated by"),
        "used": ("使用", "used"),
        "informed-by": ("依据", "informed by"),
    }
    # edges first (under the boxes), drawn in the direction data flows
    drawn: set[tuple[str, str]] = set()
    has_activity_path = {(e.target, e.source) for e in graph.edges if e.kind == "used"}
    acts_of: dict[str, set[str]] = {}
    for e in graph.edges:
        if e.kind == "generated-by":
            acts_of.setdefault(e.source, set()).add(e.target)
    for e in graph.edges:
        # skip derived-from when an activity of the derived dataset used the source (drawn
        # through the activity)
        if e.kind == "derived-from" and any(
            (e.target, a) in has_activity_path for a in acts_of.get(e.source, ())
        ):
            continue
        # every relation points against the flow of data: draw it reversed
        flow = (e.target, e.source)
        if flow in drawn or flow[0] not in pos or flow[1] not in pos:
            continue
        drawn.add(flow)
        x1, y1, w1, h1 = pos[flow[0]]
        x2, y2, _w2, h2 = pos[flow[1]]
        ax, ay = x1 + w1, y1 + h1 // 2
        bx, by = x2, y2 + h2 // 2
        if bx <= ax:  # same column (activity informed by another): connect vertically
            ax, ay = x1 + w1 // 2, y1 + h1
            bx, by = x2 + w1 // 2, y2
        mid = (ax + bx) // 2
        word = relation[e.kind][0 if lang == "zh" else 1]
        tip = f"{labels.label(e.source, lang)} — {word} → {labels.label(e.target, lang)}"
        out.append(
            f'<path class="lineage-edge lineage-{e.kind}" d="M{ax},{ay} C{mid},{ay} {mid},{by} '
            f'{bx},{by}" marker-end="url(#arrow)"><title>{escape(tip)}</title></path>'
        )
    for node in graph.nodes.values():
        x0, y0, w, h = pos[node.iri]
        label = labels.label(node.iri, lang)
        classes = ["lineage-node", f"lineage-{node.kind}"]
        if node.iri == graph.start:
            classes.append("lineage-start")
        if node.kind == "dataset" and not node.in_catalog:
            classes.append("lineage-external")
        tip = label if node.kind == "dataset" else (
            f"{label} ({labels.label(node.type, lang)})" if node.type else label)
        lines = _lines(label, 28 if node.kind == "dataset" else 20)
        texts = []
        line_h = 16
        top = y0 + h // 2 - (len(lines) - 1) * line_h // 2 + 5
        for i, line in enumerate(lines):
            texts.append(
                f'<text x="{x0 + w // 2}" y="{top + i * line_h}" text-anchor="middle">'
                f"{escape(line)}</text>"
            )
        rx = 6 if node.kind == "dataset" else 17
        shape = (
            f'<g class="{" ".join(classes)}"><title>{escape(tip)}</title>'
            f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" rx="{rx}"/>'
            + "".join(texts) + "</g>"
        )
        href = link(node.iri) if node.kind == "dataset" else None
        if href:
            h_attr = escape(href, quote=True)
            shape = (f'<a href="{h_attr}" xlink:href="{h_attr}" aria-label="{escape(label)}">'
                     f"{shape}</a>")
        out.append(shape)
    out.append("</svg>")
    return "\n".join(out)
