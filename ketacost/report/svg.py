"""Draw a chart as inline SVG text: no matplotlib, no scripts, nothing fetched."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from html import escape

from .document import Chart
from .words import money

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 84, 16, 16, 28
COLOURS = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989")
_NICE = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def axis_step(largest: Decimal, ticks: int = 5) -> Decimal:
    """Return a round step (1, 2, 2.5 or 5 × a power of ten) giving about ``ticks`` gridlines."""
    if largest <= 0:
        return Decimal(1)
    raw = largest / ticks
    power = Decimal(10) ** (raw.adjusted())
    for nice in _NICE:
        if nice * power >= raw:
            return nice * power
    return 10 * power  # pragma: no cover - _NICE ends at 10, which always suffices


def axis_money(value: Decimal, currency: str) -> str:
    """Return an axis label in whole currency units with thousands separators: ``$1,500``."""
    text = money(value, currency)
    return text[:-3] if text.endswith(".00") else text


def colour(number: int) -> str:
    """Return the colour of line ``number`` (the legend beside the chart uses the same)."""
    return COLOURS[number % len(COLOURS)]


def to_svg(chart: Chart) -> str:
    """Return ``chart`` as one ``<svg>`` element, axes labelled in money."""
    largest = max((v for line in chart.lines for v in line.values), default=Decimal(0))
    step = axis_step(largest)
    top_value = max(step, (largest / step).to_integral_value(ROUND_CEILING) * step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(chart.steps), 1)

    def x(index: int) -> str:
        return f"{LEFT + plot_w * index / count:.1f}"

    def y(value: Decimal) -> str:
        # Pixel positions only: the figures themselves stay Decimal.
        return f"{TOP + plot_h * float(1 - value / top_value):.1f}"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' role="img" aria-label="{escape(chart.title)}" class="chart">',
        f"<title>{escape(chart.title)}</title>",
        '<g font-family="sans-serif" font-size="11" fill="#333">',
    ]
    tick = Decimal(0)
    while tick <= top_value:
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick)}" y2="{y(tick)}"'
            ' stroke="#ddd" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y(tick)}" text-anchor="end" dominant-baseline="middle">'
            f"{escape(axis_money(tick, chart.currency))}</text>"
        )
        tick += step
    every = max(1, -(-count // 12))
    for index, label in enumerate(chart.steps):
        if index % every == 0:
            out.append(
                f'<text x="{x(index)}" y="{HEIGHT - BOTTOM + 16}" text-anchor="start">'
                f"{escape(label)}</text>"
            )
    out.append(
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>'
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}"'
        f' y2="{HEIGHT - BOTTOM}" stroke="#333"/>'
    )
    for number, line in enumerate(chart.lines):
        points = []
        previous = Decimal(0)
        for index, value in enumerate(line.values):
            points.append(f"{x(index)},{y(previous)}")
            points.append(f"{x(index)},{y(value)}")
            previous = value
        points.append(f"{x(len(line.values))},{y(previous)}")
        out.append(
            f'<polyline fill="none" stroke="{colour(number)}" stroke-width="2.5"'
            f' points="{" ".join(points)}"/>'
        )
    out.append("</g></svg>")
    return "\n".join(out)
