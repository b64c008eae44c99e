"""The projects list's table rows, made column by column with Arrow compute and handed to the template.

At 100,000 projects the list is 300,000 rows over three languages; sending every cell through the
template engine took most of a run. Here each text column is HTML-escaped as a whole (the five
characters Jinja's autoescape escapes, to the same entities), cells are joined element-wise, and the
parts that do not depend on the language are made once per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
from markupsafe import Markup

from .formats import SEPARATORS, euros
from .links import WEB_ADDRESS
from .text import Text

ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;"))  # '&' first


def escaped(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """Text safe inside an HTML element or a quoted attribute; null becomes empty."""
    text = pc.fill_null(pc.cast(column, pa.string()), "")
    for raw, entity in ENTITIES:
        text = pc.replace_substring(text, raw, entity)
    return text


def _join(*parts: object) -> pa.ChunkedArray:
    return pc.binary_join_element_wise(*parts, "")


def _name_cells(table: pa.Table) -> pa.ChunkedArray:
    """The project's name, linked to its card when the card's URL is a web address."""
    urls = table.column("source_url")
    linked = pc.fill_null(pc.match_substring_regex(urls, WEB_ADDRESS, ignore_case=True), False)
    name = escaped(table.column("name"))
    return pc.if_else(linked, _join('<a href="', escaped(urls), '">', name, "</a>"), name)


@dataclass(frozen=True)
class PageRows:
    """One page of the list: the cells every language shares, and what each language writes its own way."""

    head: pa.ChunkedArray  # <tr id=...><td>name</td><td>source</td>[<td>city</td>]<td>
    dates: pa.ChunkedArray  # </td><td>start</td><td>end</td><td>
    status: list[str | None]
    funding: list  # Decimal or None per row
    funding_values: pa.ChunkedArray  # the exact amounts as text, for <data value>
    has_funding: pa.ChunkedArray
    amounts: dict = field(default_factory=dict)  # amounts as written, per way of writing numbers (fi and sv agree)

    def written(self, lang: str) -> pa.ChunkedArray:
        """The amounts as the language writes them, escaped (made once per way of writing)."""
        style = (SEPARATORS[lang], lang == "en")
        if style not in self.amounts:
            self.amounts[style] = escaped(pa.array([None if v is None else euros(v, lang) for v in self.funding],
                                                   pa.string()))
        return self.amounts[style]


def page_rows(table: pa.Table, with_city: bool) -> PageRows:
    """A page's rows prepared once for every language (columns as projects.COLUMNS, dictionaries decoded)."""
    city = [escaped(table.column("city")), "</td><td>"] if with_city else []
    head = _join('<tr id="', escaped(table.column("project_id")), '"><td>', _name_cells(table), "</td><td>",
                 escaped(table.column("source")), "</td><td>", *city)
    dates = _join("</td><td>", escaped(table.column("start_date")), "</td><td>", escaped(table.column("end_date")),
                  "</td><td>")
    funding = table.column("funding_total_eur")
    return PageRows(head, dates, table.column("status").to_pylist(), funding.to_pylist(), escaped(funding),
                    pc.is_valid(funding))


def rows_html(rows: PageRows, text: Text) -> Markup:
    """The <tr> lines of one page in one language: status named, amounts written the language's way."""
    labels = {code: text.code("status", code) for code in set(rows.status) if code is not None}
    status = escaped(pa.array([labels.get(code, "") for code in rows.status], pa.string()))
    shown = rows.written(text.lang)
    money = pc.if_else(rows.has_funding, _join('<data value="', rows.funding_values, '">', shown, "</data>"), "")
    lines = _join(rows.head, status, rows.dates, money, "</td></tr>\n")
    return Markup("".join(lines.to_pylist()))
