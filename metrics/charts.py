"""Charts as server-rendered SVG: no JavaScript, and they print as sharply as the text."""

from __future__ import annotations

from datetime import date

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

SERIES_COLOURS = ("#0d6efd", "#6f42c1", "#198754", "#fd7e14")


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def sparkline(points: list[tuple[date, float | None]], *, width=140, height=32) -> SafeString:
    """A small line of a figure by week (gaps where a week had nothing to measure)."""
    values = [value for _week, value in points if value is not None]
    if len(values) < 2:
        return mark_safe("")
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = width / max(len(points) - 1, 1)
    path, pen_down = [], False
    for index, (_week, value) in enumerate(points):
        if value is None:
            pen_down = False
            continue
        x = index * step
        y = height - 2 - (value - low) / span * (height - 4)
        path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
        pen_down = True
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="Trend by week"><path d="{}" fill="none" stroke="#0d6efd" '
        'stroke-width="1.5"/></svg>',
        width,
        height,
        width,
        height,
        " ".join(path),
    )


def line_chart(
    series: dict[str, list[tuple[date, float | None]]],
    *,
    percent: bool = True,
    band: tuple[float, float] | None = None,
    alarm: float | None = None,
    width: int = 640,
    height: int = 220,
    label: str = "",
) -> SafeString:
    """Weekly lines with an optional shaded band (world class) and alarm line."""
    left, right, top, bottom = 40, 24, 10, 28 + (16 if len(series) > 1 else 0)
    inner_w, inner_h = width - left - right, height - top - bottom
    weeks = sorted({week for points in series.values() for week, _v in points})
    values = [v for points in series.values() for _w, v in points if v is not None]
    if not weeks or not values:
        return format_html('<p class="text-secondary small mb-0">{}</p>', "Nothing to chart yet.")
    if percent:
        low = min([*values, alarm or 100, band[0] if band else 100]) // 10 * 10
        low, high = max(low - 10, 0), 100.0
    else:
        low, high = 0.0, max(values) * 1.1 or 1.0
    span = high - low or 1

    def x_of(index: int) -> float:
        return left + (index * inner_w / max(len(weeks) - 1, 1))

    def y_of(value: float) -> float:
        return top + inner_h - (value - low) / span * inner_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">'
    ]
    if band:
        y1, y2 = y_of(band[1]), y_of(band[0])
        parts.append(
            f'<rect x="{left}" y="{y1:.1f}" width="{inner_w}" height="{y2 - y1:.1f}" '
            'fill="#d1e7dd" class="band"><title>World class 95-98%</title></rect>'
        )
    if alarm is not None:
        y = y_of(alarm)
        parts.append(
            f'<line x1="{left}" x2="{left + inner_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dc3545" '
            'stroke-dasharray="4 3" class="alarm"><title>Alarm line 90%</title></line>'
            f'<text x="{left + inner_w - 2}" y="{y - 3:.1f}" text-anchor="end" font-size="10" '
            'fill="#dc3545">90% alarm</text>'
        )
    for tick in range(5):
        value = low + span * tick / 4
        y = y_of(value)
        parts.append(
            f'<line x1="{left}" x2="{left + inner_w}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#dee2e6" stroke-width="0.5"/>'
            f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" font-size="10">'
            f"{_fmt(value)}{'%' if percent else ''}</text>"
        )
    every = max(len(weeks) // 8, 1)
    for index, week in enumerate(weeks):
        if index % every == 0:
            parts.append(
                f'<text x="{x_of(index):.1f}" y="{top + inner_h + 18}" text-anchor="middle" '
                f'font-size="10">{week:%-d %b}</text>'
            )
    position = {week: index for index, week in enumerate(weeks)}
    for number, (name, points) in enumerate(series.items()):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        path, pen_down = [], False
        for week, value in points:
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x_of(position[week]):.1f},{y_of(value):.1f}")
            pen_down = True
            parts.append(
                f'<circle cx="{x_of(position[week]):.1f}" cy="{y_of(value):.1f}" r="2.5" '
                f'fill="{colour}"><title>{escape(name)}, week of {week:%a %-d %b %Y}: '
                f"{_fmt(value)}{'%' if percent else ''}</title></circle>"
            )
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        # The legend sits under the week labels, one coloured swatch per series.
        legend_x = left + number * 170
        parts.append(
            f'<rect x="{legend_x}" y="{height - 11}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="{height - 2}" font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def histogram(
    bars: list[tuple[int, int]], *, width: int = 640, height: int = 200, label: str = ""
) -> SafeString:
    """Days early (negative) or late (positive): one bar per day, late bars in red.

    Days beyond +-15 are gathered in the outermost bars so a few outliers keep the scale.
    """
    if not bars:
        return format_html('<p class="text-secondary small mb-0">{}</p>', "No deliveries.")
    clipped: dict[int, int] = {}
    for value, count in bars:
        key = max(min(value, 15), -15)
        clipped[key] = clipped.get(key, 0) + count
    low, high = min(clipped), max(clipped)
    low, high = min(low, 0), max(high, 0)
    slots = high - low + 1
    left, bottom, top = 30, 28, 8
    inner_w, inner_h = width - left - 10, height - top - bottom
    peak = max(clipped.values())
    bar_w = inner_w / slots
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}">'
    ]
    for value in range(low, high + 1):
        count = clipped.get(value, 0)
        x = left + (value - low) * bar_w
        bar_h = count / peak * inner_h
        colour = "#dc3545" if value > 0 else ("#198754" if value == 0 else "#6c757d")
        edge = "≤ " if value == -15 and low == -15 else ("≥ " if value == 15 else "")
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{top + inner_h - bar_h:.1f}" '
            f'width="{max(bar_w - 2, 1):.1f}" '
            f'height="{bar_h:.1f}" fill="{colour}"><title>{edge}{value:+d} days: {count} '
            f"order{'s' if count != 1 else ''}</title></rect>"
        )
        if slots <= 16 or value % 5 == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - 12}" text-anchor="middle" '
                f'font-size="10">{value:+d}</text>'
            )
    parts.append(
        f'<text x="{left}" y="{height - 1}" font-size="10" fill="#6c757d">days early (-) / '
        "late (+); on the day in green</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - only numbers and escaped text
