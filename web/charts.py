"""Small SVG line charts for the venue screen (drawn on the server: no script, no library)."""

from __future__ import annotations

import itertools
from html import escape

from web.screen import Series

PALETTE = ("#63b3ed", "#f6ad55", "#68d391", "#fc8181", "#b794f4")


def line_chart_svg(title: str, series: tuple[Series, ...], *, width: int = 820, height: int = 330) -> str:
    """Each series as a line over the week, its name and last value at its end."""
    left, right, top, bottom = 56, 190, 40, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" class="chart" role="img" aria-label="{escape(title)}">',
        f'<text x="{left}" y="24" class="chart-title">{escape(title)}</text>',
    ]
    points = [p for s in series for p in s.points]
    if not points:
        parts.append(f'<text x="{left}" y="{top + 40}" class="chart-empty">no points yet</text></svg>')
        return "".join(parts)
    t0 = min(t for t, _ in points)
    t1 = max(t for t, _ in points)
    span = (t1 - t0).total_seconds() or 1.0
    peak = max(v for _, v in points) or 1.0
    for fraction in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#2d3748"/>'
            f'<text x="{left - 8}" y="{y + 5:.1f}" text-anchor="end" class="axis">{peak * fraction:g}</text>'
        )
    ends = _label_heights([top + plot_h * (1 - s.points[-1][1] / peak) for s in series], gap=20)
    for index, line in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        coords = [
            (left + (t - t0).total_seconds() / span * plot_w, top + plot_h * (1 - v / peak))
            for t, v in line.points
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        x, y = coords[-1]
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="4" '
            f'data-series="{escape(line.name)}"/>'
            f'<text x="{x + 8:.1f}" y="{ends[index] + 6:.1f}" fill="{colour}" class="series-label">'
            f"{escape(_short(line.name))} {line.points[-1][1]:g}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(name: str, limit: int = 17) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _label_heights(ys: list[float], *, gap: float) -> list[float]:
    """The lines' end labels moved apart (at least `gap` between two), in the lines' order."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = list(ys)
    for before, after in itertools.pairwise(order):
        placed[after] = max(placed[after], placed[before] + gap)
    return placed
