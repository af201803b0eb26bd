"""The comparison chart as SVG, drawn on the server with matplotlib like the dashboard's charts: mean wait
(with its 95% interval) and people served per officer-hour, for each way of serving the day."""

from __future__ import annotations

import io
from collections.abc import Sequence

from lapakasik.reporting.charts import PALETTE, RC

from .planning import Option


def comparison_svg(options: Sequence[Option], *, wait_title: str, rate_title: str) -> bytes:
    # matplotlib is imported here, not with the module: the console's URLs import this module, and
    # matplotlib costs seconds of the first request of every process (bench/RESULTS.md, "Dashboard PDF").
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    matplotlib.use("Agg")
    labels = [o.label for o in options]
    waits = [o.summary["wait_mean"] for o in options]
    rates = [o.summary["served_per_officer_hour"].mean for o in options]
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(7.0, 3.0))
        FigureCanvasSVG(figure)
        wait_axes, rate_axes = figure.subplots(1, 2)
        positions = range(len(options))
        wait_axes.bar(
            positions,
            [w.mean for w in waits],
            yerr=[w.half_width for w in waits],
            color=PALETTE[0],
            capsize=3,
        )
        rate_axes.bar(positions, rates, color=PALETTE[2])
        for axes, title in ((wait_axes, wait_title), (rate_axes, rate_title)):
            axes.set_xticks(list(positions), labels)
            axes.set_title(title, loc="left", fontsize=10)
            axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
