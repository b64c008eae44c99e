"""Bar charts drawn at build time with matplotlib as deterministic inline SVG.

Figures are made with the object API (no pyplot, so no global state and no GUI backend) and saved
by matplotlib's SVG renderer. Same numbers, same bytes: the SVG hash salt is fixed, no date or
creator goes into the file, text is drawn as paths from the DejaVu Sans that ships inside
matplotlib (not a system font), and math-text parsing is off so a '$' in a label stays a dollar.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

from .mpl_config import private_config_dir
from .svg import inline_svg

with private_config_dir():  # matplotlib picks its config and cache folders when imported
    import matplotlib
    from matplotlib import font_manager, rc_context  # font_manager lists the fonts now, inside the block
    from matplotlib.figure import Figure
    from matplotlib.textpath import TextToPath
    from matplotlib.ticker import MaxNLocator

DEJAVU_SANS = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"  # the copy inside matplotlib
FONT = font_manager.FontProperties(fname=DEJAVU_SANS, size=9)
COLOUR = "#1f5f8b"
WIDTH_IN = 6.4
RC = {
    "svg.hashsalt": "hankedata",
    "svg.fonttype": "path",
    "svg.image_inline": True,
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
}
NO_METADATA = {"Date": None, "Creator": None}


POINTS = 72  # per inch
PAD = 8.0  # points between a tick label and the figure's edge, tick and gap included
_MEASURE = TextToPath()


def _width(text: str) -> float:
    """Width of a text in points as FONT draws it (measured from the glyphs, without drawing a figure)."""
    return _MEASURE.get_text_width_height_descent(text, FONT, ismath=False)[0]


def _margins(figure: Figure, labels: Sequence[str], ticks: Sequence[str], horizontal: bool, slanted: bool) -> None:
    """Room for the labels, worked out from their widths: what tight_layout finds, without its extra draw."""
    width, height = (side * POINTS for side in figure.get_size_inches())
    line = FONT.get_size_in_points() * 1.3
    widest_label = max(map(_width, labels), default=0.0)
    widest_tick = max(map(_width, ticks), default=0.0)
    if horizontal:
        left, bottom, right = widest_label + PAD, 2 * line + PAD, widest_tick / 2 + PAD
    else:
        below = widest_label * 0.71 + line if slanted else line
        left, bottom, right = widest_tick + line + PAD, below + PAD, PAD
    figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - PAD / height)


def _height(bars: int, horizontal: bool) -> float:
    return 0.75 + 0.3 * bars if horizontal else 2.8


def _value_ticks(values: Sequence[float]) -> list[float]:
    """Up to six round ticks from 0 past the largest value (whole numbers)."""
    top = max([*values, 1])
    return [t for t in MaxNLocator(nbins=5, integer=True).tick_values(0, top) if 0 <= t <= top * 1.25]


def _draw(figure: Figure, labels: Sequence[str], values: Sequence[float], horizontal: bool,
          axis_label: str, tick_labels: Callable[[list[float]], list[str]]) -> None:
    """Bars with every text set in FONT explicitly: category ticks, value ticks, axis label."""
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    ticks = _value_ticks(values)
    written = tick_labels(ticks)
    slanted = not horizontal and len(labels) > 8
    if horizontal:
        axes.barh(positions, values, height=0.7, color=COLOUR)
        axes.set_yticks(positions, list(labels), fontproperties=FONT)
        axes.invert_yaxis()
        axes.set_xticks(ticks, written, fontproperties=FONT)
        axes.set_xlabel(axis_label, fontproperties=FONT)
    else:
        axes.bar(positions, values, color=COLOUR)
        axes.set_xticks(positions, list(labels), fontproperties=FONT, rotation=45 if slanted else 0,
                        ha="right" if slanted else "center", rotation_mode="anchor" if slanted else "default")
        axes.set_yticks(ticks, written, fontproperties=FONT)
        axes.set_ylabel(axis_label, fontproperties=FONT)
    _margins(figure, labels, written, horizontal, slanted)


def bar_chart(chart_id: str, title: str, labels: Sequence[str], values: Sequence[float], *, horizontal: bool,
              axis_label: str, tick_labels: Callable[[list[float]], list[str]]) -> str:
    """One bar chart as inline SVG markup; `tick_labels` writes the value axis's numbers in the page's language."""
    with rc_context(RC):
        figure = Figure(figsize=(WIDTH_IN, _height(len(labels), horizontal)))
        _draw(figure, labels, values, horizontal, axis_label, tick_labels)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata=NO_METADATA)
    return inline_svg(buffer.getvalue(), chart_id, title)
