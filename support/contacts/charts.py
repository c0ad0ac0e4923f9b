"""Server-rendered bar charts: the bars in SVG (geometry here, colours from CSS), the scale and
the labels in HTML beside and under it, so that they keep the page's own letter size on a
phone and in the accessibility mode instead of shrinking with the drawing. No JavaScript."""

import math
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 200
MARGIN_TOP = 2  # room for the top grid line's stroke


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    quiet: bool  # inside one of the quietest windows: drawn in another colour
    labelled: bool  # its label is printed (24 hours do not fit otherwise)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    axis_y: float  # the baseline
    grid: list[float]  # y of the grid lines: top, middle (the baseline is the axis)
    scale: list[int]  # the scale's labels from the top: a whole number of contacts, never "0.5"


def scale_top(top: float) -> int:
    """The scale's top: a whole even number at or above the highest bar (its middle is whole
    too), at least 2, rounded to a readable step."""
    top = max(top, 0)
    step = 2 if top <= 10 else 10 ** max(0, math.floor(math.log10(top)) - 1) * 2
    return max(2, math.ceil(top / step) * step)


def bar_chart(
    *, labels: list[str], values: list[float], quiet: set[int] = frozenset(), label_every: int = 1
) -> Chart:
    plot_height = HEIGHT - MARGIN_TOP
    top = scale_top(max(values, default=0))
    step = WIDTH / max(len(values), 1)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_height * value / top
        x = index * step + step * 0.15
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(MARGIN_TOP + plot_height - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
                quiet=index in quiet,
                labelled=index % label_every == 0,
            )
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        axis_y=HEIGHT - 1,
        grid=[MARGIN_TOP, round(MARGIN_TOP + plot_height / 2, 1)],
        scale=[top, top // 2, 0],
    )
