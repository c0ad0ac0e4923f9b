"""Server-rendered SVG bar charts: geometry in Python, drawing in the template, no JS."""

from dataclasses import dataclass

WIDTH = 720
HEIGHT = 240
MARGIN_LEFT = 36
MARGIN_BOTTOM = 28
MARGIN_TOP = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    text_x: float
    quiet: bool  # inside one of the quietest windows: drawn in another colour


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    axis_y: float  # the baseline
    ticks: list[tuple[float, str]]  # (y, label) for the grid lines
    label_every: int  # print every n-th bar label (24 hours do not fit otherwise)


def bar_chart(
    *, labels: list[str], values: list[float], quiet: set[int] = frozenset(), label_every: int = 1
) -> Chart:
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_width = WIDTH - MARGIN_LEFT
    top = max(values, default=0) or 1
    step = plot_width / max(len(values), 1)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_height * value / top
        x = MARGIN_LEFT + index * step + step * 0.15
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(MARGIN_TOP + plot_height - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
                text_x=round(x + step * 0.35, 1),
                quiet=index in quiet,
            )
        )
    ticks = [
        (round(MARGIN_TOP + plot_height * (1 - share), 1), _tick(top * share))
        for share in (0, 0.5, 1)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        axis_y=MARGIN_TOP + plot_height,
        ticks=ticks,
        label_every=label_every,
    )


def _tick(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
