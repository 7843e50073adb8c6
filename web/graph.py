"""A network as a graph: findings and the identifiers and copied texts that join them, laid out
with networkx (a fixed seed: the same network is drawn the same way) and drawn as SVG here, on
the server — no script and no request leaves the hub."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from sqlmodel import Session

from commands.wording import short
from extraction.refang import defang
from storage import networks
from storage.models import Finding

WIDTH, HEIGHT, MARGIN_X, MARGIN_Y = 1800, 860, 150, 60
KIND_COLOURS = {
    "escort": "#d53f8c",
    "dating": "#dd6b20",
    "job": "#3182ce",
    "marketplace": "#38a169",
    "social": "#805ad5",
    "messaging": "#00a3c4",
    "darkweb": "#4a5568",
    "other": "#a0aec0",
}
IDENTIFIER_COLOURS = {"phone": "#f6e05e", "email": "#90cdf4", "wallet": "#fbb6ce", "handle": "#9ae6b4"}


@dataclass(frozen=True, slots=True)
class NetworkGraph:
    """A live network's findings, the identifiers joining them and its copied-text pairs."""

    number: int  # the live network (after merges)
    asked: int  # the number that was asked for
    findings: tuple[Finding, ...]
    identifiers: tuple[tuple[str, str, tuple[int, ...]], ...]  # (kind, value, finding ids)
    text_links: tuple[tuple[int, int, float], ...]  # (finding a, finding b, similarity)


def network_graph(number: int, *, session: Session) -> NetworkGraph | None:
    """The network N`number` (followed through merges), or None when it has no two findings."""
    live = networks.resolve(number, session=session)
    if live is None:
        return None
    members = networks.members(live, session=session)
    if len(members) < 2:
        return None
    shared: dict[tuple[str, str], set[int]] = {}
    texts: list[tuple[int, int, float]] = []
    for link in networks.links_within([f.id or 0 for f in members], session=session):
        if link.kind == "text":
            texts.append((link.finding_a, link.finding_b, float(link.value)))
        else:
            shared.setdefault((link.kind, link.value), set()).update((link.finding_a, link.finding_b))
    identifiers = tuple(
        (kind, value, tuple(sorted(ids)))
        for (kind, value), ids in sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    return NetworkGraph(live, number, tuple(members), identifiers, tuple(texts))


def layout(graph: NetworkGraph) -> dict[str, tuple[float, float]]:
    """Node id → (x, y) inside the drawing; findings are `f<id>`, identifiers `i<index>`."""
    import networkx as nx

    g = nx.Graph()
    for finding in graph.findings:
        g.add_node(f"f{finding.id}")
    for index, (_, _, ids) in enumerate(graph.identifiers):
        for fid in ids:
            g.add_edge(f"i{index}", f"f{fid}")
    for a, b, _ in graph.text_links:
        g.add_edge(f"f{a}", f"f{b}")
    raw = nx.spring_layout(g, seed=7, iterations=200, k=1.6 / max(1, len(g)) ** 0.5)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        node: (
            MARGIN_X + (float(p[0]) - min(xs)) / span_x * (WIDTH - 2 * MARGIN_X),
            MARGIN_Y + (float(p[1]) - min(ys)) / span_y * (HEIGHT - 2 * MARGIN_Y),
        )
        for node, p in raw.items()
    }


def _identifier_shape(kind: str, x: float, y: float) -> str:
    fill = IDENTIFIER_COLOURS.get(kind, "#e2e8f0")
    if kind == "email":
        points = f"{x},{y - 14} {x + 14},{y} {x},{y + 14} {x - 14},{y}"
        return f'<polygon points="{points}" fill="{fill}" stroke="#1a202c" stroke-width="1.5"/>'
    if kind == "wallet":
        pts = " ".join(
            f"{x + dx:.1f},{y + dy:.1f}"
            for dx, dy in ((-13, -7), (0, -15), (13, -7), (13, 7), (0, 15), (-13, 7))
        )
        return f'<polygon points="{pts}" fill="{fill}" stroke="#1a202c" stroke-width="1.5"/>'
    if kind == "handle":
        points = f"{x},{y - 15} {x + 14},{y + 11} {x - 14},{y + 11}"
        return f'<polygon points="{points}" fill="{fill}" stroke="#1a202c" stroke-width="1.5"/>'
    return (
        f'<rect x="{x - 12:.1f}" y="{y - 12:.1f}" width="24" height="24" fill="{fill}" '
        'stroke="#1a202c" stroke-width="1.5"/>'
    )


def graph_svg(graph: NetworkGraph, *, finding_href: str) -> str:
    """The network drawn as SVG; `finding_href` is a format string with `{id}` (the details page)."""
    at = layout(graph)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" class="network" role="img" '
        f'aria-label="network N{graph.number}">'
    ]
    for index, (kind, _, ids) in enumerate(graph.identifiers):
        x1, y1 = at[f"i{index}"]
        for fid in ids:
            x2, y2 = at[f"f{fid}"]
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#718096" '
                f'stroke-width="2" data-edge="{escape(kind)}"/>'
            )
    for a, b, similarity in graph.text_links:
        (x1, y1), (x2, y2) = at[f"f{a}"], at[f"f{b}"]
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#2d3748" '
            f'stroke-width="2" stroke-dasharray="8 6" data-edge="text">'
            f"<title>copied ad text #{a} ≈ #{b} ({similarity:.0%})</title></line>"
        )
    for index, (kind, value, ids) in enumerate(graph.identifiers):
        x, y = at[f"i{index}"]
        label = escape(short(value, 32))
        parts.append(
            f'<g class="identifier" data-identifier="{escape(kind)}:{escape(value)}">'
            f"<title>{escape(kind)} {escape(value)} — {', '.join(f'#{i}' for i in ids)}</title>"
            + _identifier_shape(kind, x, y)
            + f'<text x="{x:.1f}" y="{y + 30:.1f}" text-anchor="middle" class="id-label">{label}</text></g>'
        )
    for finding in graph.findings:
        x, y = at[f"f{finding.id}"]
        colour = KIND_COLOURS.get(finding.platform_kind, KIND_COLOURS["other"])
        ring = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="27" fill="none" stroke="#e53e3e" stroke-width="5"/>'
            if finding.thb_suspect
            else ""
        )
        mark = " ⚠" if finding.thb_suspect else ""
        href = escape(finding_href.format(id=finding.id))
        parts.append(
            f'<a href="{href}" class="finding" data-finding="{finding.id}" '
            f'data-kind="{escape(finding.platform_kind)}" data-suspect="{str(finding.thb_suspect).lower()}">'
            f"<title>#{finding.id} {escape(defang(finding.platform))} "
            f"({escape(finding.platform_kind)}){mark}</title>"
            f"{ring}"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="20" fill="{colour}" stroke="#1a202c" stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle" class="f-number">{finding.id}</text>'
            f'<text x="{x:.1f}" y="{y - 32:.1f}" text-anchor="middle" class="f-label">'
            f"#{finding.id} {escape(short(defang(finding.platform), 30))}{mark}</text></a>"
        )
    parts.append("</svg>")
    return "".join(parts)
