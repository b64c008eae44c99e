"""The three published layouts of the list of operations, as data.

Each layout is recognised by its header row alone and maps every published column to an English
snake_case field and a kind. The kind says how the value parses (code, date, amount, business id, or
text) and, for the unquoted CSV lists, what shape the field has when a row is split (see rows.py).
The table is plain data (strings and lists) so that a source declaration can carry it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# kind: what a column holds. Kinds other than "text" are anchors when an unquoted row is split.
KINDS = ("code", "fund", "axis", "word", "text", "date", "amount", "business_id")

LAYOUT_TABLE: dict[str, dict] = {
    "2014-2020": {
        "container": "csv",
        "columns": [
            ["Koodi", "code", "code"],
            ["Rahasto", "fund", "fund"],
            ["Hankkeen nimi", "name", "text"],
            ["Tl", "priority_axis", "axis"],
            ["Viranomainen", "funding_authority", "text"],
            ["Tila", "status", "word"],
            ["Aloituspvm", "start_date", "date"],
            ["Päättymispvm", "end_date", "date"],
            ["Toteuttajan nimi", "lead_beneficiary", "text"],
            ["Myönnetty EU- ja valtion rahoitus", "granted_eu_state", "amount"],
            ["Toteutunut EU- ja valtion rahoitus", "paid_eu_state", "amount"],
            ["Suunniteltu julkinen rahoitus yhteensä", "planned_public_total", "amount"],
            ["Toteutunut julkinen rahoitus yhteensä", "paid_public_total", "amount"],
        ],
    },
    "2007-2013": {
        "container": "csv",
        "columns": [
            ["Koodi", "code", "code"],
            ["Rahasto", "fund", "fund"],
            ["Projektin nimi", "name", "text"],
            ["Ohjelma / osio", "programme", "word"],
            ["Tl", "priority_axis", "axis"],
            ["Viranomainen", "funding_authority", "text"],
            ["Toiminnan tila", "status", "word"],
            ["Aloituspvm", "start_date", "date"],
            ["Päättymispvm", "end_date", "date"],
            ["Toteuttajan nimi", "lead_beneficiary", "text"],
            ["Myönnetty EU- ja valtion rahoitus", "granted_eu_state", "amount"],
            ["Toteutunut EU- ja valtion rahoitus", "paid_eu_state", "amount"],
            ["Suunniteltu julkinen rahoitus yhteensä", "planned_public_total", "amount"],
            ["Toteutunut julkinen rahoitus yhteensä", "paid_public_total", "amount"],
        ],
    },
    "2021-2027": {
        "container": "xlsx",
        "columns": [
            ["Hankekoodi", "code", "code"],  # published with a trailing space; headers are compared stripped
            ["Ryhmähanketunnus", "group_code", "text"],
            ["Rahasto", "fund", "text"],
            ["EAKR-/JTF-alatyyppi", "fund_subtype", "text"],
            ["Tl", "priority_axis", "text"],
            ["Et", "specific_objective", "text"],
            ["Hankkeen nimi", "name", "text"],
            ["Toteuttajan nimi", "lead_beneficiary", "text"],
            ["Toteuttajan Y-tunnus", "business_id", "business_id"],
            ["Rahoittava viranomainen", "funding_authority", "text"],
            ["Toiminnan tila", "status", "text"],
            ["Aloituspvm", "start_date", "date"],
            ["Päättymispvm", "end_date", "date"],
            ["Suunniteltu EU- ja valtion rahoitus", "planned_eu_state", "amount"],
            ["Suunniteltu julkinen rahoitus", "planned_public_total", "amount"],
            ["Suunniteltu rahoitus yhteensä", "planned_total", "amount"],
            ["Toteutunut EU- ja valtion rahoitus", "paid_eu_state", "amount"],
            ["Toteutunut julkinen rahoitus", "paid_public_total", "amount"],
            ["Toteutunut rahoitus yhteensä", "paid_total", "amount"],
            ["Toteutunut EU-rahoituksen määrä", "paid_eu", "amount"],
            ["Tukitoimen ala", "intervention_field", "text"],
            ["Sijainti", "location", "text"],
            ["Toteutuspaikan postinumero", "site_postcode", "text"],
            ["Toteutuspaikan postitoimipaikka", "site_post_office", "text"],
            ["Tuensaajan postinumero", "beneficiary_postcode", "text"],
            ["Tuensaajan postitoimipaikka", "beneficiary_post_office", "text"],
            ["Tukimuoto", "form_of_support", "text"],
            ["Alueellinen täytäntöönpanomekanismi ja alueellinen painopiste", "territorial_delivery", "text"],
            ["Taloudellinen toiminta", "economic_activity", "text"],
            ["Toissijainen teema, vain ESR+", "secondary_theme_esf", "text"],
            ["Sukupuolten tasa-arvo", "gender_equality", "text"],
            ["Itämeren alueen strategia", "baltic_sea_strategy", "text"],
            ["Suunnitelman mukainen tiivistelmä hankkeen toteutuksesta", "summary", "text"],
            ["Hankekuvauksen osoite", "description_url", "text"],
            ["Hankkeen kotisivun osoite", "homepage_url", "text"],
        ],
    },
}


@dataclass(frozen=True, slots=True)
class Column:
    """One published column: its header, the field it becomes, and its kind."""

    header: str
    field: str
    kind: str


@dataclass(frozen=True, slots=True)
class Layout:
    """One published layout; its name is the programme period it covers."""

    name: str
    container: str
    columns: tuple[Column, ...]
    headers: tuple[str, ...]
    fields: tuple[str, ...]


def layout_from_data(name: str, data: Mapping) -> Layout:
    """A Layout from its table entry, checked so a mistyped declaration fails at once."""
    columns = tuple(Column(*entry) for entry in data["columns"])
    unknown = sorted({column.kind for column in columns} - set(KINDS))
    if unknown:
        raise ValueError(f"layout {name}: unknown column kinds {unknown}")
    fields = [column.field for column in columns]
    if len(set(fields)) != len(fields):
        raise ValueError(f"layout {name}: a field name is used twice")
    if data["container"] not in ("csv", "xlsx"):
        raise ValueError(f"layout {name}: unknown container {data['container']!r}")
    return Layout(name, data["container"], columns, tuple(c.header for c in columns), tuple(fields))


LAYOUTS: tuple[Layout, ...] = tuple(layout_from_data(name, data) for name, data in LAYOUT_TABLE.items())


def header_cells(cells: Sequence[str]) -> list[str]:
    """Header cells as compared: each stripped, trailing empty cells dropped (workbooks pad rows)."""
    stripped = [cell.strip() for cell in cells]
    while stripped and not stripped[-1]:
        stripped.pop()
    return stripped


def recognise(cells: Sequence[str], container: str, layouts: Sequence[Layout] = LAYOUTS) -> Layout | None:
    """The layout whose headers these are, exactly (after stripping), or None."""
    wanted = header_cells(cells)
    for layout in layouts:
        if layout.container == container and list(layout.headers) == wanted:
            return layout
    return None


def mismatch(cells: Sequence[str], container: str, layouts: Sequence[Layout] = LAYOUTS) -> str:
    """Why a header row is no known layout: the closest layout and where it first differs."""
    wanted = header_cells(cells)
    candidates = [layout for layout in layouts if layout.container == container]
    if not candidates:
        return f"no layout is published as {container}"

    def shared(layout: Layout) -> int:
        return sum(1 for have, want in zip(wanted, layout.headers, strict=False) if have == want)

    best = max(candidates, key=shared)
    for index, expected in enumerate(best.headers):
        found = wanted[index] if index < len(wanted) else None
        if found != expected:
            return (f"closest layout {best.name} ({shared(best)} of {len(best.headers)} headers in place) "
                    f"differs at column {index + 1}: {found!r} where {expected!r} was expected")
    return (f"closest layout {best.name} has {len(best.headers)} columns; "
            f"this header has {len(wanted)}: extra {wanted[len(best.headers):][:3]!r}")
