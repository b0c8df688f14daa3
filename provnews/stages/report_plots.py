"""The daily report's charts: plain series in, PNG files out (matplotlib's Agg canvas, no pyplot state).

Each function returns False and writes nothing when there is nothing to draw, so the page can say "no data".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

_SIZE = (10.0, 4.0)  # inches; 100 dpi
_MAX_TICKS = 16  # day labels shown on the x axis; the others are thinned out


@dataclass(frozen=True)
class Series:
    """Values per day for each label (a stacked bar per day), labels in the order they are stacked."""

    days: list[str]
    values: dict[str, list[int]]

    def empty(self) -> bool:
        return not any(any(v) for v in self.values.values())


def stacked_bars(path: Path, title: str, series: Series, ylabel: str) -> bool:
    """One bar per day, stacked by label, with a legend."""
    if series.empty():
        return False
    fig = Figure(figsize=_SIZE)
    ax = fig.add_subplot()
    positions = list(range(len(series.days)))
    bottom = [0] * len(series.days)
    for label, values in series.values.items():
        ax.bar(positions, values, bottom=bottom, label=label, width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    step = max(1, -(-len(series.days) // _MAX_TICKS))
    ax.set_xticks(positions[::step], series.days[::step], rotation=45, ha="right", fontsize=8)
    ax.set(title=title, ylabel=ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _save(fig, path)
    return True


def horizontal_bars(path: Path, title: str, items: Sequence[tuple[str, float]], xlabel: str,
                    integer: bool = False) -> bool:
    """One bar per label, the first item on top; `integer` for counts (whole-number ticks)."""
    if not items:
        return False
    fig = Figure(figsize=(_SIZE[0], max(2.0, 0.4 * len(items) + 1.2)))
    ax = fig.add_subplot()
    labels = [label for label, _ in reversed(items)]
    ax.barh(range(len(items)), [value for _, value in reversed(items)])
    ax.set_yticks(range(len(items)), labels, fontsize=8)
    ax.set(title=title, xlabel=xlabel)
    if integer:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _save(fig, path)
    return True


def _save(fig: Figure, path: Path) -> None:
    FigureCanvasAgg(fig)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=100, metadata={"Software": None})  # same data, same bytes
