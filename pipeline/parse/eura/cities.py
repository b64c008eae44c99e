"""Which of the six 6Aika cities a lead beneficiary belongs to, and whether a row is in 6Aika scope.

The rule, as data so that a source declaration can carry it (CITY_TABLE), compared case-insensitively
after folding white space:
- a city's own name forms, as whole words: "Oulun kaupunki", "Oulun kaupungin …" (a city department),
  "Uleåborgs stad", "City of Oulu";
- a company or unit that the city itself owns, as a plain substring, because the list runs names
  together ("OULUN KAUPUNKIBUSINESSOULU LIIKELAITOS", "… TREDEATREDEA OY").
Regional companies owned by several municipalities and universities (Culminatum, Greater Helsinki
Promotion, Turun Seudun Kehittämiskeskus) and private ones (Technopolis) belong to no one city and
are not in the table. A name that matches two cities belongs to neither (precision first).
A row is in scope when its lead beneficiary belongs to a city, or its name mentions 6Aika or the
six cities ("kuutoskaupunkien", "kuutoskaupungit").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

CITY_TABLE: dict[str, dict[str, list[str]]] = {
    "Helsinki": {
        "genitive": ["Helsingin"], "swedish": ["Helsingfors"], "english": ["Helsinki"],
        "companies": ["Forum Virium Helsinki"],
    },
    "Espoo": {
        "genitive": ["Espoon"], "swedish": ["Esbo"], "english": ["Espoo"],
        "companies": [],
    },
    "Vantaa": {
        "genitive": ["Vantaan"], "swedish": ["Vanda"], "english": ["Vantaa"],
        "companies": ["Vantaan Innovaatioinstituutti"],
    },
    "Tampere": {
        "genitive": ["Tampereen"], "swedish": ["Tammerfors"], "english": ["Tampere"],
        "companies": ["Tredea"],
    },
    "Turku": {
        "genitive": ["Turun"], "swedish": ["Åbo"], "english": ["Turku"],
        "companies": ["Turku Science Park"],
    },
    "Oulu": {
        "genitive": ["Oulun"], "swedish": ["Uleåborgs", "Uleåborg"], "english": ["Oulu"],
        "companies": ["BusinessOulu", "Business Oulu"],
    },
}
SCOPE_NAME = re.compile(r"(?<![0-9])6\s?aika|kuutoskaupun", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CityMatcher:
    """Compiled forms of a city table: one pattern per city."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    def cities(self, lead_beneficiary: str) -> list[str]:
        """Every city whose forms occur in the name (normally none or one)."""
        folded = fold(lead_beneficiary)
        return [city for city, pattern in self.patterns if pattern.search(folded)]

    def city(self, lead_beneficiary: str | None) -> str | None:
        """The one city a lead beneficiary belongs to, or None (no city, or more than one)."""
        if not lead_beneficiary:
            return None
        found = self.cities(lead_beneficiary)
        return found[0] if len(found) == 1 else None


def fold(text: str) -> str:
    """Case and white space folded (NBSP included), for comparing names as published."""
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip().casefold()


def _city_pattern(forms: Mapping[str, list[str]]) -> re.Pattern[str]:
    words = [form for g in forms.get("genitive", []) for form in (f"{g} kaupunki", f"{g} kaupungin")]
    words += [form for s in forms.get("swedish", []) for form in (f"{s} stad", f"staden {s}")]
    words += [f"city of {e}" for e in forms.get("english", [])]
    whole = "|".join(re.escape(fold(word)) for word in words)
    parts = [f"(?<!\\w)(?:{whole})(?!\\w)"] if whole else []
    parts += [re.escape(fold(company)) for company in forms.get("companies", [])]
    return re.compile("|".join(parts) or "(?!)")


def matcher_from_table(table: Mapping[str, Mapping[str, list[str]]]) -> CityMatcher:
    """A CityMatcher from a table shaped like CITY_TABLE (as a source declaration would hold it)."""
    return CityMatcher(tuple((city, _city_pattern(forms)) for city, forms in table.items()))


SIX_CITIES = matcher_from_table(CITY_TABLE)


def city_of(lead_beneficiary: str | None, matcher: CityMatcher = SIX_CITIES) -> str | None:
    """The six city a lead beneficiary belongs to (its own name or its own company), or None."""
    return matcher.city(lead_beneficiary)


def scope_reason(name: str | None, lead_beneficiary: str | None, matcher: CityMatcher = SIX_CITIES) -> str | None:
    """Why a row is in 6Aika scope ("city:Oulu" or "name"), or None when it is not."""
    city = matcher.city(lead_beneficiary)
    if city:
        return f"city:{city}"
    if name and SCOPE_NAME.search(name):
        return "name"
    return None


def in_scope(name: str | None, lead_beneficiary: str | None, matcher: CityMatcher = SIX_CITIES) -> bool:
    """True for a row whose lead beneficiary is a six city or whose name mentions 6Aika / kuutoskaupun(ki)."""
    return scope_reason(name, lead_beneficiary, matcher) is not None
