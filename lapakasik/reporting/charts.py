"""Charts as SVG, drawn on the server with matplotlib (Agg, no GUI): one drawing serves the page, the
PDF and anyone who saves it. Deterministic (fixed hash salt, no date) so identical data gives
identical bytes. Every chart has a table with the same numbers beside it on the page."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from lapakasik.lib.idtext import format_thousands  # noqa: E402

GREEN, PALETTE = "#0a7a3f", ["#0a7a3f", "#e0a100", "#2c6fbb", "#b5473a", "#7a5ea8", "#5b5b5b"]
RC: Any = {"svg.hashsalt": "lapakasik", "svg.fonttype": "none", "font.family": "sans-serif", "font.size": 9}


def _svg(draw: Callable[[Any], None], *, title: str, width: float = 7.0, height: float = 3.0) -> bytes:
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(width, height))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        draw(axes)
        axes.set_title(title, loc="left", fontsize=10)
        axes.spines[["top", "right"]].set_visible(False)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_thousands(int(v))))
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def bars(labels: list[str], values: list[int], *, title: str) -> bytes:
    def draw(axes):
        axes.bar(range(len(values)), values, color=GREEN)
        axes.set_xticks(
            range(len(labels)),
            labels,
            rotation=0 if len(labels) <= 6 else 45,
            ha="right" if len(labels) > 6 else "center",
        )

    return _svg(draw, title=title)


def stacked(labels: list[str], series: dict[str, list[float]], *, title: str) -> bytes:
    def draw(axes):
        bottom = [0.0] * len(labels)
        for (name, values), color in zip(series.items(), PALETTE, strict=False):
            axes.bar(range(len(labels)), values, bottom=bottom, label=name, color=color)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        axes.set_xticks(
            range(len(labels)),
            labels,
            rotation=45 if len(labels) > 6 else 0,
            ha="right" if len(labels) > 6 else "center",
        )
        axes.legend(frameon=False, fontsize=8)

    return _svg(draw, title=title)


def line(labels: list[str], values: list[int], *, title: str) -> bytes:
    def draw(axes):
        axes.plot(range(len(values)), values, color=GREEN, marker="o", markersize=2)
        step = max(1, len(labels) // 12)
        axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
        axes.set_ylim(bottom=0)

    return _svg(draw, title=title)
