"""Charts drawn on the server as SVG: the page loads nothing from anywhere, and needs no script."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 600, 160, 24


def line_chart(points: Sequence[tuple[str, float]], label: str, partial: bool = False) -> Markup:
    """A filled line over ``points`` (x labels, values), scaled to the largest value; one
    ``<title>`` per point, so a hover (or a screen reader) gives the exact figure. With ``partial`` the
    last point is a period still under way: its segment is dashed and labelled, not a cliff."""
    if not points:
        return Markup('<p class="empty">No data in this range.</p>')
    top = max(value for _, value in points) or 1
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)
    xy = [
        (PAD + i * step, HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD))
        for i, (_, value) in enumerate(points)
    ]
    partial = partial and len(xy) > 1
    whole = xy[:-1] if partial else xy
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in whole)
    area = f"{PAD},{HEIGHT - PAD} {line} {whole[-1][0]:.1f},{HEIGHT - PAD}"
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(key)}: {_number(value)}</title></circle>'
        for (x, y), (key, value) in zip(xy, points, strict=True)
    )
    if partial:
        (x0, y0), (x1, y1) = xy[-2], xy[-1]
        dots += (
            f'<polyline class="line partial" stroke-dasharray="5 4" opacity="0.6"'
            f' points="{x0:.1f},{y0:.1f} {x1:.1f},{y1:.1f}"/>'
            f'<text class="partial" x="{x1:.1f}" y="{max(y1 - 8, 24):.1f}" text-anchor="end">partial</text>'
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
