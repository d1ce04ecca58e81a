"""Layout of the provenance graph (who copied or rewrote whom) as plain SVG coordinates.

Articles sit on a circle, in report order so that copies are neighbours; an edge joins two
articles that copy, rewrite or share a source, with an arrowhead from the earlier article
to the later one when the direction is known.

>>> g = provenance_graph([("a", "A", "g0", 1), ("b", "B", "g0", 2)], [("a", "b", "copy", "a->b", 0.9, None)])
>>> len(g.nodes), g.edges[0].arrow, g.edges[0].relation
(2, True, 'copy')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["GraphEdge", "GraphNode", "GraphView", "provenance_graph"]

NODE_R = 16.0


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str
    label: str
    tint: str
    number: int
    x: float
    y: float
    anchor: str  # text-anchor for the label: start | middle | end
    lx: float
    ly: float


@dataclass(frozen=True, slots=True)
class GraphEdge:
    a: str
    b: str
    relation: str
    arrow: bool
    reuse: float
    key: str | None
    x1: float
    y1: float
    x2: float
    y2: float
    mx: float  # where the reuse label goes
    my: float


@dataclass(frozen=True, slots=True)
class GraphView:
    width: int
    height: int
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]


def _label(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def provenance_graph(
    nodes: Sequence[tuple[str, str, str, int]],
    edges: Sequence[tuple[str, str, str, str, float, str | None]],
) -> GraphView:
    """Place ``nodes`` (id, label, tint class, number) on a circle and route ``edges``
    (a, b, relation, direction, reuse, highlight key) between them."""
    n = len(nodes)
    radius = 70.0 + 22.0 * max(0, n - 3) ** 0.85 if n > 1 else 0.0
    margin_x, margin_y = 190.0, 40.0
    width = int(2 * (radius + margin_x))
    height = int(2 * (radius + margin_y))
    cx, cy = width / 2, height / 2
    placed: dict[str, GraphNode] = {}
    for k, (nid, label, tint, number) in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * k / max(1, n)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        dx = math.cos(angle)
        anchor = "middle" if abs(dx) < 0.3 else ("start" if dx > 0 else "end")
        lx = x + (NODE_R + 6) * (1 if anchor == "start" else -1 if anchor == "end" else 0)
        ly = y + (0 if anchor != "middle" else (NODE_R + 14) * (1 if math.sin(angle) > 0 else -1) + 4) + 4
        placed[nid] = GraphNode(nid, _label(label), tint, number, round(x, 1), round(y, 1), anchor,
                                round(lx, 1), round(ly, 1))
    out_edges = []
    for a, b, relation, direction, reuse, key in edges:
        if a not in placed or b not in placed or a == b:
            continue
        if direction == "b->a":
            a, b = b, a
        pa, pb = placed[a], placed[b]
        dx, dy = pb.x - pa.x, pb.y - pa.y
        dist = math.hypot(dx, dy) or 1.0
        ux, uy = dx / dist, dy / dist
        gap_b = NODE_R + (7 if direction != "unknown" else 2)
        out_edges.append(GraphEdge(
            a, b, relation, direction != "unknown", reuse, key,
            round(pa.x + ux * (NODE_R + 2), 1), round(pa.y + uy * (NODE_R + 2), 1),
            round(pb.x - ux * gap_b, 1), round(pb.y - uy * gap_b, 1),
            round((pa.x + pb.x) / 2 - uy * 10, 1), round((pa.y + pb.y) / 2 + ux * 10, 1),
        ))
    return GraphView(width, height, tuple(placed.values()), tuple(out_edges))
