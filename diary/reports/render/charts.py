"""The report's charts as SVG text, drawn with matplotlib's object API (never pyplot).

`Figure` + `FigureCanvasSVG` keep no global figure state, so a server thread draws without a
GUI backend. Output is deterministic: a fixed `svg.hashsalt` (element ids), no date in the
metadata, text as text (`svg.fonttype: none`, so the same SVG reads the same in a browser and
in the PDF). The same SVG is used in the web page and in the PDF.
"""

from __future__ import annotations

import io
import re
import threading

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..engine import Report
from ..periods import PERIOD_DAYS
from ..rounding import round_half_away

# A 10-year diary has 120 months and 40 cycles: the charts show the recent part (readable on
# A4, and fast), say so on the chart, and the tables below them list everything.
MONTHS_SHOWN = 36
CYCLES_SHOWN = 12
EPISODIC_LINE = 15
Y_TICKS = (0, 7, 14, 21, 28)

COMPLETE = "#3b6ea8"
INCOMPLETE = "#c9d7ea"
BASELINE = "#8a8a8a"
TREATMENT = "#b03a2e"
REDUCTION_30 = "#c77c02"
REDUCTION_50 = "#2e7d32"
_RC = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 7.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "hatch.linewidth": 0.6,
}
# rcParams are process-wide: one chart at a time sets and reads them (a chart takes ms).
_LOCK = threading.Lock()


# matplotlib numbers its element ids per figure (`patch_1`, `legend_1`, ...): two charts in one
# page would share ids, and the page's `url(#...)` references would cross. Each chart's ids get
# the chart's own prefix.
_ID_REFERENCES = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def _to_svg(fig: Figure, name: str) -> str:
    """The figure as an inline `<svg>` element (no XML declaration, DOCTYPE or metadata)."""
    buf = io.StringIO()
    with rc_context({"svg.hashsalt": name}):
        FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    text = text.replace("<svg ", f'<svg role="img" aria-label="{name.replace("-", " ")}" ', 1)
    return _ID_REFERENCES.sub(lambda m: f"{m[1]}{name}-{m[2]}", text)


def _box(x: float, height: float, width: float) -> list[tuple[float, float]]:
    left, right = x - width / 2, x + width / 2
    return [(left, 0), (left, height), (right, height), (right, 0)]


def _scale(ax, labels: list[str], rotated: bool) -> None:
    """Axis labels and grid drawn as plain text and one line collection each.

    matplotlib's own ticks cost a few artists per tick (over a third of a chart's time);
    these are the same marks, drawn once.
    """
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_ylim(0, 28)
    ax.set_ylabel(f"headache days per {PERIOD_DAYS} days")
    ax.yaxis.set_label_coords(-0.045, 0.5)  # clear of the hand-drawn figures
    left, right = ax.get_xlim()
    ax.hlines(Y_TICKS[1:], left, right, colors="#e5e5e5", linewidth=0.5, zorder=0)
    for y in Y_TICKS:
        ax.text(-0.008, y, str(y), transform=ax.get_yaxis_transform(), ha="right",
                va="center")
    for x, label in labels:
        ax.text(x, -0.03, label, transform=ax.get_xaxis_transform(), fontsize=6,
                ha="right" if rotated else "center", va="top", rotation=45 if rotated else 0,
                rotation_mode="anchor")


def _note(fig: Figure, text: str) -> None:
    """A line at the figure's top right (above the legend and the treatment labels)."""
    fig.text(0.99, 0.99, text, ha="right", va="top", fontsize=6.5, color="#444444")


def monthly_chart(report: Report) -> str:
    """Headache days per 28 recorded days of each calendar month (the last MONTHS_SHOWN),
    incomplete months hatched and paler, a dashed line at each treatment date."""
    months = report.months[-MONTHS_SHOWN:]
    with _LOCK, rc_context(_RC):
        fig = Figure(figsize=(7.2, 2.7))
        ax = fig.add_subplot()
        done, partial, empty = [], [], []
        for i, m in enumerate(months):
            value = m.metrics.headache_days_per_28d
            if value is None:
                empty.append(i)
            else:
                (done if m.metrics.complete else partial).append(_box(i, value, 0.8))
        # One collection per kind, not a patch per bar: a tenth of the drawing time.
        ax.add_collection(PolyCollection(done, facecolor=COMPLETE, linewidth=0, zorder=2,
                                         gid="complete-months"))
        ax.add_collection(PolyCollection(partial, facecolor=INCOMPLETE, edgecolor=COMPLETE,
                                         hatch="////", linewidth=0.6, zorder=2,
                                         gid="incomplete-months"))
        for i in empty:
            ax.text(i, 0.4, "no data", rotation=90, ha="center", va="bottom", fontsize=5.5,
                    color="#777777")
        ax.axhline(EPISODIC_LINE, color="#999999", linewidth=0.6, linestyle=":", zorder=1)
        first, last = (months[0].metrics.start, months[-1].metrics.end) if months else (None, None)
        marks = []
        for c in report.cycles:
            if first is None or not first <= c.administered_on <= last:
                continue
            i = next(k for k, m in enumerate(months) if m.metrics.end >= c.administered_on)
            m = months[i].metrics
            marks.append(i - 0.5 + (c.administered_on - m.start).days / m.days)
            ax.text(marks[-1], 28.3, f"T{c.number}", ha="center", va="bottom", fontsize=6,
                    color=TREATMENT)
        ax.vlines(marks, 0, 28, colors=TREATMENT, linestyles="--", linewidth=0.9, zorder=3)
        ax.set_xlim(-0.6, max(len(months), 1) - 0.4)
        # A label every month up to 12 months, else every third.
        step = 1 if len(months) <= 12 else 3
        _scale(ax, [(i, months[i].month) for i in range(0, len(months), step)],
               rotated=len(months) > 12)
        ax.legend(handles=[
            Patch(color=COMPLETE, label="complete month"),
            Patch(facecolor=INCOMPLETE, edgecolor=COMPLETE, hatch="////", linewidth=0.6,
                  label="incomplete month (under 20 of 28 days recorded)"),
            Line2D([], [], color=TREATMENT, linestyle="--", label="treatment (T = cycle)"),
            Line2D([], [], color="#999999", linestyle=":", label="15 days"),
        ], loc="lower left", bbox_to_anchor=(0, 1.05), ncol=4, frameon=False, fontsize=6.5)
        if len(report.months) > MONTHS_SHOWN:
            _note(fig, f"last {MONTHS_SHOWN} of {len(report.months)} months shown "
                      "(all months are in the table)")
        fig.subplots_adjust(left=0.08, right=0.99, top=0.80, bottom=0.22)
        return _to_svg(fig, "diary-monthly-chart")


def cycles_chart(report: Report) -> str:
    """Baseline and each cycle's headache days per 28 recorded days (the last CYCLES_SHOWN),
    with the lines a 30% and a 50% reduction from baseline reach."""
    cycles = report.cycles[-CYCLES_SHOWN:]
    baseline = report.baseline
    base_value = baseline.headache_days_per_28d if baseline is not None else None
    with _LOCK, rc_context(_RC):
        fig = Figure(figsize=(7.2, 2.5))
        ax = fig.add_subplot()
        bars = [("baseline", base_value, baseline is not None and baseline.complete, BASELINE)]
        bars += [(f"cycle {c.number}", c.after.headache_days_per_28d, c.after.complete, COMPLETE)
                 for c in cycles]
        boxes: dict[tuple[str, bool], list] = {}
        for i, (label, value, complete, colour) in enumerate(bars):
            if value is None:
                ax.text(i, 0.4, "no data", ha="center", va="bottom", fontsize=6, color="#777777")
                continue
            boxes.setdefault((colour, complete), []).append(_box(i, value, 0.6))
            shown = f"{round_half_away(value, 1):.1f}" + ("" if complete else "*")
            ax.text(i, value + 0.4, shown, ha="center", va="bottom", fontsize=6.5)
        for (colour, complete), group in boxes.items():
            ax.add_collection(PolyCollection(group, zorder=2, **(
                {"facecolor": colour, "linewidth": 0} if complete else
                {"facecolor": INCOMPLETE, "edgecolor": colour, "hatch": "////",
                 "linewidth": 0.6})))
        handles = [Patch(facecolor=INCOMPLETE, edgecolor=COMPLETE, hatch="////", linewidth=0.6,
                         label="* incomplete (diary or cycle)")]
        if base_value:
            for share, colour, label in ((0.7, REDUCTION_30, "30% reduction"),
                                         (0.5, REDUCTION_50, "50% reduction")):
                ax.axhline(base_value * share, color=colour, linestyle="--", linewidth=0.9,
                           zorder=3)
                handles.append(Line2D([], [], color=colour, linestyle="--", label=label))
        ax.set_xlim(-0.6, len(bars) - 0.4)
        _scale(ax, [(i, b[0]) for i, b in enumerate(bars)], rotated=len(bars) > 8)
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.02), ncol=3,
                  frameon=False, fontsize=6.5)
        if len(report.cycles) > CYCLES_SHOWN:
            _note(fig, f"last {CYCLES_SHOWN} of {len(report.cycles)} cycles shown "
                      "(all cycles are in the table)")
        fig.subplots_adjust(left=0.08, right=0.99, top=0.84, bottom=0.2)
        return _to_svg(fig, "diary-cycles-chart")
