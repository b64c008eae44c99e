"""The four charts of the landing page in one language: bars drawn, the same numbers as a table, a text
alternative. Every number comes from figures.py, which reads the published tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from .charts import bar_chart
from .figures import Bar, Figures
from .formats import euros, number
from .text import Text

# (from this largest value, divide the axis numbers by, axis label): millions, thousands, euros
EURO_SCALES = ((1_000_000, 1_000_000, "axis_eur_millions"), (10_000, 1_000, "axis_eur_thousands"),
               (0, 1, "axis_eur"))


@dataclass(frozen=True)
class Row:
    """One bar as the table beside the chart shows it: label, exact value, value in words."""

    label: str
    value: str
    shown: str


@dataclass(frozen=True)
class Chart:
    """A chart, its title and text alternative, and its numbers as a table."""

    id: str
    title: str
    svg: Markup
    alt: str
    key_header: str
    value_header: str
    rows: tuple[Row, ...]


def _euro_axis(bars: tuple[Bar, ...], text: Text) -> tuple[str, Callable[[list[float]], list[str]]]:
    """The value axis of a funding chart: its label, and its numbers in millions or thousands when large."""
    top = max((bar.value for bar in bars), default=Decimal(0))
    divisor, key = next((d, k) for least, d, k in EURO_SCALES if top >= least)

    def ticks(values: list[float]) -> list[str]:
        places = 0 if all((v / divisor).is_integer() for v in values) else 1
        return [number(v / divisor, text.lang, places) for v in values]

    return text(key), ticks


def _count_axis(text: Text) -> tuple[str, Callable[[list[float]], list[str]]]:
    return text("axis_projects"), lambda values: [number(v, text.lang) for v in values]


def chart(chart_id: str, title: str, key_header: str, bars: tuple[Bar, ...], label: Callable[[object], str],
          money: bool, text: Text, horizontal: bool = True) -> Chart:
    """One chart with its table: bars side by side for years, one above another for named groups."""
    labels = [label(bar.key) for bar in bars]
    shown = [euros(bar.value, text.lang) if money else number(bar.value, text.lang) for bar in bars]
    axis_label, ticks = _euro_axis(bars, text) if money else _count_axis(text)
    svg = bar_chart(chart_id, title, labels, [float(bar.value) for bar in bars], horizontal=horizontal,
                    axis_label=axis_label, tick_labels=ticks) if bars else ""
    top = max(range(len(bars)), key=lambda i: bars[i].value, default=None)
    alt = (text("chart_alt", title=title, count=len(bars), top=labels[top], value=shown[top]) if top is not None
           else text("chart_empty"))
    rows = tuple(Row(name, str(bar.value), value) for name, bar, value in zip(labels, bars, shown, strict=True))
    value_header = text("amount") if money else text("count")
    return Chart(chart_id, title, Markup(svg), alt, key_header, value_header, rows)


def charts(figures: Figures, text: Text) -> tuple[Chart, ...]:
    """Funding by year and by funder category (summable lines only), projects by status, source and city."""
    found = [
        chart("funding-year", text("chart_funding_year"), text("year"), figures.funding_by_year,
              lambda key: text("no_year") if key is None else str(key), True, text, horizontal=False),
        chart("funding-category", text("chart_funding_category"), text("funder_category"),
              figures.funding_by_category, lambda key: text.code("funder_category", key), True, text),
    ]
    for group, bars in figures.projects_by.items():
        found.append(chart(f"projects-{group}", text(f"chart_{group}"), text(group), bars,
                           lambda key, group=group: text.code(group, key), False, text))
    return tuple(found)
