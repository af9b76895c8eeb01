"""Charts drawn on the server as inline SVG: no script, no chart library,
nothing the Content-Security-Policy has to allow. Each chart is one image
to assistive technology (role="img", named by its <title> and <desc>);
the page shows the same numbers in a table beside it, which is what a screen
reader reads. Colours keep 3:1 against white (WCAG 1.4.11) and text 4.5:1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

INK, MUTED, BAR, LIMIT, GRID = "#1a1a1a", "#5c6f82", "#0066cc", "#b71918", "#d9dadb"
WIDTH = 640
ROW, LABEL_WIDTH, LABEL_CHARACTERS = 26, 210, 30


def _open(chart_id: str, title: str, desc: str, height: int) -> str:
    return (
        f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-labelledby="{escape(chart_id)}-title '
        f'{escape(chart_id)}-desc" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="Titillium Web, sans-serif" font-size="13">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>'
    )


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def bar_chart(chart_id: str, title: str, desc: str, bars: Sequence[tuple[str, int]], *, limits=None) -> Markup:
    """Horizontal bars, one per (label, value), longest scale on the largest
    value; `limits` (one per bar, or None) draws each bar's own ceiling as a tick."""
    limits = list(limits or [None] * len(bars))
    height = max(len(bars), 1) * ROW + 8
    top = max([value for _, value in bars] + [limit for limit in limits if limit] + [1])
    span = WIDTH - LABEL_WIDTH - 70
    parts = [_open(chart_id, title, desc, height)]
    for index, ((label, value), limit) in enumerate(zip(bars, limits, strict=True)):
        y = 4 + index * ROW
        length = round(span * value / top, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" fill="{INK}">{escape(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{max(length, 1)}" height="{ROW - 8}" fill="{BAR}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 17}" fill="{INK}">{value}</text>'
        )
        if limit:
            x = LABEL_WIDTH + round(span * limit / top, 1)
            parts.append(f'<line x1="{x}" x2="{x}" y1="{y + 1}" y2="{y + ROW - 1}" stroke="{LIMIT}" stroke-width="3"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def cumulative_chart(
    chart_id: str,
    title: str,
    desc: str,
    points: Sequence[tuple[dt.date, int]],
    *,
    capacity: int | None,
    capacity_label: str,
) -> Markup:
    """The running total by day as a line (days without registrations keep
    the level), against a dashed line at the capacity when there is one."""
    height, left, right, top, bottom = 240, 52, 16, 14, 30
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    ceiling = _nice(max([n for _, n in points] + [capacity or 0, 1]) * 1.08)
    first = points[0][0] if points else dt.date.today()
    last = points[-1][0] if points else first
    days = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return round(left + plot_w * (day - first).days / days, 1)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / ceiling), 1)

    parts = [_open(chart_id, title, desc, height)]
    for tick in (0, ceiling / 2, ceiling):
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(tick)}" y2="{y(tick)}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end" fill="{MUTED}">{int(tick)}</text>'
        )
    if points:
        path, level = [], 0
        for day, value in points:
            path.append(f"{x(day)},{y(level)}")  # a step: the total holds until the day it grows
            path.append(f"{x(day)},{y(value)}")
            level = value
        parts.append(f'<polyline points="{" ".join(path)}" fill="none" stroke="{BAR}" stroke-width="2.5"/>')
        for label_day, anchor in ((first, "start"), (last, "end")):
            parts.append(
                f'<text x="{x(label_day)}" y="{height - 8}" text-anchor="{anchor}" fill="{MUTED}">'
                f"{label_day.strftime('%d/%m')}</text>"
            )
    if capacity:
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(capacity)}" y2="{y(capacity)}" stroke="{LIMIT}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - right}" y="{y(capacity) - 5}" text-anchor="end" fill="{LIMIT}">'
            f"{escape(capacity_label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _nice(value: float) -> int:
    """A round axis ceiling at or above `value`: 1, 2, 2.5 or 5 times a power of ten."""
    magnitude = 10 ** max(len(str(int(value))) - 1, 0)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return int(10 * magnitude)
