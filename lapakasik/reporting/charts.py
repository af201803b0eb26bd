"""The dashboard's charts as small SVG documents written directly: one drawing serves the page, the PDF and
anyone who saves it. Deterministic (no ids, no dates) so identical data gives identical bytes. Every chart
has a table with the same numbers beside it on the page.

Why not matplotlib (which draws the capacity plan's chart): its SVG for one bar chart is ~200 elements of
paths and glyph references, and drawing six of them took ~1.3 s, then WeasyPrint another ~1.7 s to paint
them into the PDF (bench/RESULTS.md, "Dashboard PDF export"). These charts are bars and a line on a
linear axis: a few dozen rectangles and labels each, written in well under a millisecond.
"""

from __future__ import annotations

import functools
import io
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
SCALE = 2  # the image's pixels per SVG unit
INK = "#1b1b1b"
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}
# The SVG's font for the image: Debian's DejaVu Sans (fonts-dejavu-core), else Liberation Sans, else Pillow's own.
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
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


class Plot:
    """A chart as a list of drawing steps, written out as SVG (the page) or as an image drawn by Pillow (the PDF)."""

    def __init__(self, title: str, labels: Sequence[str], largest: float, *, rotated: bool = False) -> None:
        self.title = title
        self.labels = list(labels)
        self.rotated = rotated or len(self.labels) > 6
        self.bottom = HEIGHT - (78 if self.rotated else 30)
        self.ticks = nice_ticks(largest)
        # ("text", x, y, text, anchor, size, rotated) | ("tick", y, text) | ("hline", y, colour)
        # | ("rect", x, y, w, h, colour, tip) | ("polyline", points, colour)
        self.steps: list[tuple[Any, ...]] = [("text", 8, 18, title, "start", 13, False)]
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
            y = round(self.y(tick), 1)
            self.steps.append(("hline", y, "#e3e3e3"))
            self.steps.append(("tick", y, tick_label(tick, step)))

    def x_labels(self, every: int = 1) -> None:
        for i, label in enumerate(self.labels):
            if i % every:
                continue
            x, y = round(self.x(i), 1), self.bottom + 14
            self.steps.append(("text", x, y, label, "end" if self.rotated else "middle", 11, self.rotated))

    def bar(self, index: int, low: float, high: float, colour: str, name: str) -> None:
        if high <= low:
            return
        width = self.slot * 0.7
        top, base = self.y(high), self.y(low)
        self.steps.append(("rect", self.x(index) - width / 2, top, width, base - top, colour, name))

    def legend(self, names: Sequence[str]) -> None:
        x = WIDTH - RIGHT
        for name, colour in reversed(list(zip(names, PALETTE, strict=False))):
            x -= 18 + 7 * len(name)
            self.steps.append(("rect", x, 8, 10, 10, colour, ""))
            self.steps.append(("text", x + 14, 17, name, "start", 11, False))

    def polyline(self, values: Sequence[float], colour: str) -> None:
        if values:
            self.steps.append(("polyline", [(self.x(i), self.y(v)) for i, v in enumerate(values)], colour))

    def svg(self) -> bytes:
        body = f"<title>{escape(self.title)}</title>" + "".join(map(_svg_step, self.steps))
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label={quoteattr(self.title)}>'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>{body}'
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{self.bottom}" y2="{self.bottom}" stroke="#555"/></svg>\n'
        ).encode()

    def raster(self) -> bytes:
        """The same drawing as a JPEG image at twice the size (sharp at A4 width) for the PDF, so WeasyPrint
        has no SVG text to lay out (~10 ms a label there)."""
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), "#fff")
        draw = ImageDraw.Draw(image)
        for step in self.steps:
            _raster_step(image, draw, step)
        draw.line(
            [(LEFT * SCALE, self.bottom * SCALE), ((WIDTH - RIGHT) * SCALE, self.bottom * SCALE)], "#555", 2
        )
        out = io.BytesIO()
        # JPEG, not PNG: WeasyPrint puts a JPEG into the PDF as it is, but decodes every PNG and compresses
        # it again (~60 ms a chart here, more than drawing it). Full colour resolution (no chroma
        # subsampling) and quality 90 keep the text and the bars' edges clean.
        image.save(out, "JPEG", quality=90, subsampling=0)
        return out.getvalue()


def _svg_step(step: tuple[Any, ...]) -> str:
    kind = step[0]
    if kind == "text":
        _kind, x, y, text, anchor, size, rotated = step
        style = FONT if size == 11 else f"{FONT};font-size:{size}px"
        if rotated:
            return (
                f'<text x="{x}" y="{y}" text-anchor="end" transform="rotate(-45 {x} {y})" '
                f'style="{style}">{escape(text)}</text>'
            )
        anchored = "" if anchor == "start" else f' text-anchor="{anchor}"'
        return f'<text x="{x}" y="{y}"{anchored} style="{style}">{escape(text)}</text>'
    if kind == "tick":
        _kind, y, text = step
        return (
            f'<text x="{LEFT - 6}" y="{y:.1f}" dy="4" text-anchor="end" style="{FONT}">{escape(text)}</text>'
        )
    if kind == "hline":
        _kind, y, colour = step
        return f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}"/>'
    if kind == "rect":
        _kind, x, y, w, h, colour, tip = step
        if not tip:  # a legend key
            return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}"/>'
        return (
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}">'
            f"<title>{escape(tip)}</title></rect>"
        )
    _kind, points, colour = step
    written = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polyline points="{written}" fill="none" stroke="{colour}" stroke-width="2"/>'


def _raster_step(image: Any, draw: Any, step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "text":
        _kind, x, y, text, anchor, size, rotated = step
        font = _font(size * SCALE)
        if rotated:
            _rotated_text(image, font, text, x * SCALE, y * SCALE)
            return
        # SVG places text on its baseline; "ls"/"rs"/"ms" anchor Pillow's text there too.
        draw.text((x * SCALE, y * SCALE), text, fill=INK, font=font, anchor=ANCHORS[anchor])
    elif kind == "tick":
        _kind, y, text = step
        draw.text(((LEFT - 6) * SCALE, (y + 4) * SCALE), text, fill=INK, font=_font(11 * SCALE), anchor="rs")
    elif kind == "hline":
        _kind, y, colour = step
        draw.line([(LEFT * SCALE, y * SCALE), ((WIDTH - RIGHT) * SCALE, y * SCALE)], colour, SCALE)
    elif kind == "rect":
        _kind, x, y, w, h, colour, _tip = step
        left, top = x * SCALE, y * SCALE  # a bar under a pixel high is still drawn, one pixel high
        draw.rectangle(
            [left, top, max(left, (x + w) * SCALE - 1), max(top, (y + h) * SCALE - 1)], fill=colour
        )
    else:
        _kind, points, colour = step
        draw.line([(x * SCALE, y * SCALE) for x, y in points], colour, 2 * SCALE, joint="curve")


def _rotated_text(image: Any, font: Any, text: str, x: float, y: float) -> None:
    """Text turned 45° up to the left, its end at (x, y), as the SVG's ``rotate(-45)`` with anchor end."""
    from PIL import Image, ImageDraw

    left, top, right, bottom = font.getbbox(text, anchor="ls")
    label = Image.new("L", (right - left + 2, bottom - top + 2), 0)
    ImageDraw.Draw(label).text((-left + 1, -top + 1), text, fill=255, font=font, anchor="ls")
    turned = label.rotate(45, expand=True, resample=Image.Resampling.BICUBIC)
    # The baseline's end (right, 0 relative to the anchor) lands at the turned image's right edge, at the
    # height of the baseline's end after turning.
    width, height = label.size
    end_x, end_y = width - 1, -top + 1  # in the label
    cos = sin = math.sqrt(0.5)
    cx, cy = width / 2, height / 2
    tx = (end_x - cx) * cos + (end_y - cy) * sin + turned.width / 2
    ty = -(end_x - cx) * sin + (end_y - cy) * cos + turned.height / 2
    image.paste(Image.new("RGB", turned.size, INK), (round(x - tx), round(y - ty)), turned)


@functools.cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def bars(labels: list[str], values: list[int], *, title: str) -> Plot:
    plot = Plot(title, labels, max(values, default=0))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        plot.bar(i, 0, value, GREEN, f"{label}: {format_thousands(value)}")
    plot.x_labels()
    return plot


def stacked(labels: list[str], series: dict[str, list[float]], *, title: str) -> Plot:
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    plot = Plot(title, labels, max(totals, default=0))
    for i, label in enumerate(labels):
        low = 0.0
        for (name, values), colour in zip(series.items(), PALETTE, strict=False):
            plot.bar(i, low, low + values[i], colour, f"{label}, {name}: {_number(values[i])}")
            low += values[i]
    plot.x_labels()
    plot.legend(list(series))
    return plot


def line(labels: list[str], values: list[int], *, title: str) -> Plot:
    plot = Plot(title, labels, max(values, default=0), rotated=True)
    plot.polyline(values, GREEN)
    plot.x_labels(every=max(1, len(labels) // 12))
    return plot


def _number(value: float) -> str:
    return format_thousands(round(value)) if float(value).is_integer() else f"{value:.2f}".replace(".", ",")
