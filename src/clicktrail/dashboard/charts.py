"""Charts drawn on the server as SVG: the page loads nothing from anywhere, and needs no script."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 600, 160, 24


def line_chart(points: Sequence[tuple[str, float]], label: str) -> Markup:
    """A filled line over ``points`` (x labels, values), scaled to the largest value; one
    ``<title>`` per point, so a hover (or a screen reader) gives the exact figure."""
    if not points:
        return Markup('<p class="empty">No data in this range.</p>')
    top = max(value for _, value in points) or 1
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)
    xy = [
        (PAD + i * step, HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD))
        for i, (_, value) in enumerate(points)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    area = f"{PAD},{HEIGHT - PAD} {line} {xy[-1][0]:.1f},{HEIGHT - PAD}"
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(key)}: {_number(value)}</title></circle>'
        for (x, y), (key, value) in zip(xy, points, strict=True)
    )
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">'
        f'<polygon class="area" points="{area}"/><polyline class="line" points="{line}"/>{dots}'
        f'<text x="{PAD}" y="{HEIGHT - 6}">{escape(points[0][0])}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 6}" text-anchor="end">{escape(points[-1][0])}</text>'
        f'<text x="{PAD}" y="14">{_number(top)}</text></svg>'
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def partial_line_chart(points: Sequence[tuple[str, float]], label: str, partial: bool) -> Markup:
    """``line_chart``, with the segment to the last point dashed when that period is still running (today
    so far is not a fall: it is not over)."""
    chart = line_chart(points, label)
    if not partial or len(points) < 2:
        return chart
    top = max(value for _, value in points) or 1
    step = (WIDTH - 2 * PAD) / (len(points) - 1)
    (x1, y1), (x2, y2) = (
        (PAD + i * step, HEIGHT - PAD - (points[i][1] / top) * (HEIGHT - 2 * PAD))
        for i in (len(points) - 2, len(points) - 1)
    )
    ends = f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"'
    tail = (
        f'<g class="partial"><line class="under" {ends}/><line class="dashed" {ends}/>'
        f"<title>{escape(points[-1][0])}: so far (the period is not over)</title></g>"
    )
    return Markup(str(chart).removesuffix("</svg>") + tail + "</svg>")
