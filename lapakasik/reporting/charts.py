"""The dashboard's charts as small SVG documents written directly: one drawing serves the page, the PDF and
anyone who saves it. Deterministic (no ids, no dates) so identical data gives identical bytes. Every chart
has a table with the same numbers beside it on the page.

Why not matplotlib (which draws the capacity plan's chart): its SVG for one bar chart is ~200 elements of
paths and glyph references, and drawing six of them took ~1.3 s, then WeasyPrint another ~1.7 s to paint
them into the PDF (bench/RESULTS.md, "Dashboard PDF export"). These charts are bars and a line on a
linear axis: a few dozen rectangles and labels each, written in well under a millisecond.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from lapakasik.lib.idtext import format_thousands

GREEN, PALETTE = "#0a7a3f", ["#0a7a3f", "#e0a100", "#2c6fbb", "#b5473a", "#7a5ea8", "#5b5b5b"]
# The matplotlib settings of the capacity plan's chart (capacity/chart.py), kept beside the palette they share.
RC: Any = {
    "svg.hashsalt": "lapakasik",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9,
}
WIDTH, HEIGHT = 700, 300
LEFT, RIGHT, TOP = 78, 12, 34
FONT = "font-family:DejaVu Sans,Liberation Sans,sans-serif;font-size:11px;fill:#1b1b1b"


def nice_ticks(largest: float, count: int = 5) -> list[float]:
    """0 and round steps (1, 2 or 5 × a power of ten) up to at least ``largest``."""
    if largest <= 0:
        return [0.0, 1.0]
    raw = largest / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(math.ceil(largest / step - 1e-9)) + 1)]


def tick_label(value: float, step: float) -> str:
    if step >= 1 or value == 0:
        return format_thousands(round(value))
    decimals = max(1, -math.floor(math.log10(step)))
    return f"{value:.{decimals}f}".replace(".", ",")


class _Plot:
    def __init__(self, title: str, labels: Sequence[str], largest: float, *, rotated: bool = False) -> None:
        self.labels = list(labels)
        self.rotated = rotated or len(self.labels) > 6
        self.bottom = HEIGHT - (78 if self.rotated else 30)
        self.ticks = nice_ticks(largest)
        self.parts = [
            f"<title>{escape(title)}</title>",
            f'<text x="8" y="18" style="{FONT};font-size:13px">{escape(title)}</text>',
        ]
        self._axes()

    @property
    def slot(self) -> float:
        return (WIDTH - LEFT - RIGHT) / max(1, len(self.labels))

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - TOP) * value / self.ticks[-1]

    def x(self, index: int) -> float:
        return LEFT + self.slot * (index + 0.5)

    def _axes(self) -> None:
        step = self.ticks[1] - self.ticks[0]
        for tick in self.ticks:
            y = f"{self.y(tick):.1f}"
            self.parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="#e3e3e3"/>')
            self.parts.append(
                f'<text x="{LEFT - 6}" y="{y}" dy="4" text-anchor="end" style="{FONT}">'
                f"{tick_label(tick, step)}</text>"
            )

    def x_labels(self, every: int = 1) -> None:
        for i, label in enumerate(self.labels):
            if i % every:
                continue
            x, y = f"{self.x(i):.1f}", self.bottom + 14
            if self.rotated:
                self.parts.append(
                    f'<text x="{x}" y="{y}" text-anchor="end" transform="rotate(-45 {x} {y})" '
                    f'style="{FONT}">{escape(label)}</text>'
                )
            else:
                self.parts.append(
                    f'<text x="{x}" y="{y}" text-anchor="middle" style="{FONT}">{escape(label)}</text>'
                )

    def bar(self, index: int, low: float, high: float, colour: str, name: str) -> None:
        if high <= low:
            return
        width = self.slot * 0.7
        top, base = self.y(high), self.y(low)
        self.parts.append(
            f'<rect x="{self.x(index) - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
            f'height="{base - top:.1f}" fill="{colour}"><title>{escape(name)}</title></rect>'
        )

    def legend(self, names: Sequence[str]) -> None:
        x = WIDTH - RIGHT
        for name, colour in reversed(list(zip(names, PALETTE, strict=False))):
            x -= 18 + 7 * len(name)
            self.parts.append(f'<rect x="{x}" y="8" width="10" height="10" fill="{colour}"/>')
            self.parts.append(f'<text x="{x + 14}" y="17" style="{FONT}">{escape(name)}</text>')

    def svg(self, title: str) -> bytes:
        body = "".join(self.parts)
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label={quoteattr(title)}>'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>{body}'
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{self.bottom}" y2="{self.bottom}" stroke="#555"/></svg>\n'
        ).encode()


def bars(labels: list[str], values: list[int], *, title: str) -> bytes:
    plot = _Plot(title, labels, max(values, default=0))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        plot.bar(i, 0, value, GREEN, f"{label}: {format_thousands(value)}")
    plot.x_labels()
    return plot.svg(title)


def stacked(labels: list[str], series: dict[str, list[float]], *, title: str) -> bytes:
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    plot = _Plot(title, labels, max(totals, default=0))
    for i, label in enumerate(labels):
        low = 0.0
        for (name, values), colour in zip(series.items(), PALETTE, strict=False):
            plot.bar(i, low, low + values[i], colour, f"{label}, {name}: {_number(values[i])}")
            low += values[i]
    plot.x_labels()
    plot.legend(list(series))
    return plot.svg(title)


def line(labels: list[str], values: list[int], *, title: str) -> bytes:
    plot = _Plot(title, labels, max(values, default=0), rotated=True)
    points = " ".join(f"{plot.x(i):.1f},{plot.y(v):.1f}" for i, v in enumerate(values))
    if points:
        plot.parts.append(f'<polyline points="{points}" fill="none" stroke="{GREEN}" stroke-width="2"/>')
    plot.x_labels(every=max(1, len(labels) // 12))
    return plot.svg(title)


def _number(value: float) -> str:
    return format_thousands(round(value)) if float(value).is_integer() else f"{value:.2f}".replace(".", ",")
