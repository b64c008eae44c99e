"""Funding written as prose in a card's summary ("Oulun kaupunki 23 770 euroa, yhteensä 237 700 euroa").

Only paragraphs that contain a prose-funding marker (source.yml layout.prose_funding_markers,
matched without regard to case) are read, from the sentence with the first marker on, plus the
whole paragraph right after a heading paragraph such as "Kustannukset ja rahoitus:". In a read
sentence every amount with a euro unit is one clause; the words before it, back to the previous
amount, are its label. Labels that name a cost or total ("Kustannukset yhteensä", "yhteensä")
give a ProseTotal, every other label a ProseLine with the funder exactly as written (whitespace
collapsed; a "josta ..." breakdown keeps its "josta" so the caller can tell it apart; a line
with no words before its amount has funder ""). A year or year range in the sentence ("vuosina
2011-2013", "vuonna 2015") is the period of all its clauses. Amounts are returned as text for
normalise.numbers.parse_amount. Never raises; linear time on hostile input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.core.dates import find_date_ranges


@dataclass(frozen=True)
class ProseLine:
    """One funder's amount as stated in prose."""

    funder: str
    amount_text: str
    period: tuple[int, int] | None
    sentence: str


@dataclass(frozen=True)
class ProseTotal:
    """A stated cost or funding total (to check against the lines, never a funding row)."""

    amount_text: str
    period: tuple[int, int] | None
    sentence: str
    label: str


@dataclass(frozen=True)
class ProseFunding:
    """Everything read from the prose of one card."""

    lines: tuple[ProseLine, ...]
    totals: tuple[ProseTotal, ...]


MIN_YEAR, MAX_YEAR = 1900, 2100
_SEP = "[ \u00a0\u202f]"
_CHAIN_RE = re.compile(rf"(?<!\d)(?<!\d[,.])\d++(?:{_SEP}\d++)*+(?:,\d++)?+")
_UNIT_AFTER_RE = re.compile(
    rf"{_SEP}?(?:(?P<mult>(?i:miljoonaa|miljoona|milj\.?|tuhatta)|M|k|t){_SEP}?)?"
    r"(?P<unit>€|(?i:euroa|euron|euro|eur)|e)(?!\w)"
)
_PREFIX_UNIT_RE = re.compile(rf"€{_SEP}?$")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s++(?=[A-ZÅÄÖ])")
_YEARS_WORD_RE = re.compile(
    r"(?<!\w)(?i:vuosina|vuosille|vuosien|vuosiksi|vuonna|vuodelle|vuodeksi|vuoden|v\.)"
    r"[ \u00a0]{1,3}(\d{4})(?:[ \u00a0]{0,3}[-–—][ \u00a0]{0,3}(\d{4}))?(?!\d)"
)
_YEARS_BARE_RE = re.compile(r"(?<![\d.,])(\d{4})[ \u00a0]{0,3}[-–—][ \u00a0]{0,3}(\d{4})(?!\d)")
_LEAD_STRIP = " \t\r\n\u00a0\u202f,;:–—-).+&"
_TRAIL_STRIP = " \t\r\n\u00a0\u202f,;:–—-(+&"
CONNECTORS = frozenset({"ja", "sekä", "and"})
VERBS = frozenset({"on", "ovat", "oli", "olivat", "olisi", "eli"})
TOTAL_WORDS = frozenset({"yhteensä", "yht", "yht."})
TOTAL_STARTS = ("kokonais", "kustannu", "budjet", "yhteensä")
TOTAL_EXACT = frozenset({"rahoitus", "kokonaisrahoitus", "yht", "yht."})
OWNER_WORDS = frozenset({"hankkeen", "projektin"})


@dataclass(frozen=True)
class _Amount:
    start: int  # where the label before it ends (a leading "€" belongs to the amount)
    end: int
    text: str


def _amounts(sentence: str) -> list[_Amount]:
    """Amounts with a euro unit, in order; a run of digit groups keeps only its money-shaped tail."""
    found = []
    for chain in _CHAIN_RE.finditer(sentence):
        unit = _UNIT_AFTER_RE.match(sentence, chain.end())
        prefix = _PREFIX_UNIT_RE.search(sentence[max(0, chain.start() - 2):chain.start()])
        if unit is None and prefix is None:
            continue
        start = chain.start() + _money_tail(chain.group(0))
        label_end = start - len(prefix.group(0)) if prefix is not None and start == chain.start() else start
        text_end = unit.end("mult") if unit is not None and unit["mult"] else chain.end()
        end = unit.end() if unit is not None else chain.end()
        found.append(_Amount(label_end, end, sentence[start:text_end]))
    return found


def _money_tail(chain: str) -> int:
    """Offset in a digit-group run where the amount starts ("vuonna 2015 300 000" -> "300 000")."""
    parts = re.split(_SEP, chain)
    integer_parts = [*parts[:-1], parts[-1].partition(",")[0]]
    keep = len(integer_parts) - 1
    if len(integer_parts[keep]) != 3:
        return len(chain) - len(parts[-1])
    while keep > 0 and len(integer_parts[keep - 1]) == 3:
        keep -= 1
    if keep > 0 and 1 <= len(integer_parts[keep - 1]) <= 2:
        keep -= 1
    return sum(len(p) + 1 for p in parts[:keep])


def _period(sentence: str) -> tuple[int, int] | None:
    """The years a sentence's amounts cover: a date range, 'vuosina 2011-2013', 'vuonna 2015', '2015-2017'."""
    for start, end, _ in find_date_ranges(sentence):
        if start <= end:
            return start.year, end.year
    for pattern in (_YEARS_WORD_RE, _YEARS_BARE_RE):
        for match in pattern.finditer(sentence):
            first = int(match[1])
            last = int(match[2]) if match[2] else first
            if MIN_YEAR <= first <= last <= MAX_YEAR:
                return first, last
    return None


def _after_last_comma(text: str) -> str:
    """The part after the last comma outside parentheses (what follows the previous clause's remarks)."""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth = max(0, depth - 1)
        elif char in ",;" and depth == 0:
            return text[index + 1:]
    return text


def _drop_words(text: str, words: frozenset[str], *, at_end: bool) -> str:
    """Remove connector or verb words from one end of a label (a few at most)."""
    for _ in range(3):
        parts = text.rsplit(None, 1) if at_end else text.split(None, 1)
        if not parts or (parts[-1] if at_end else parts[0]).casefold() not in words:
            return text
        rest = "" if len(parts) == 1 else parts[0] if at_end else parts[1]
        text = rest.rstrip(_TRAIL_STRIP) if at_end else rest.lstrip(_LEAD_STRIP)
    return text


def _raw_label(clause: str, first: bool) -> str:
    """The label words of a clause: after a heading's colon in the first, after the last comma later."""
    if first:
        before, colon, after = clause.rpartition(":")
        clause = (after if after.strip(_LEAD_STRIP) else before) if colon else clause
    else:
        clause = _after_last_comma(clause)
    clause = _YEARS_BARE_RE.sub(" ", _YEARS_WORD_RE.sub(" ", clause))
    label = " ".join(clause.split()).strip(_LEAD_STRIP).rstrip(_TRAIL_STRIP)
    return _drop_words(label, CONNECTORS, at_end=False)


def _is_total(label: str) -> bool:
    """Whether a label names a cost or funding total rather than a funder."""
    if not label:
        return False
    if label.casefold() in TOTAL_EXACT or label.casefold().startswith("yhteensä"):
        return True
    core = _drop_words(_drop_words(label, VERBS, at_end=True), TOTAL_WORDS, at_end=True).casefold()
    words = core.split(None, 1)
    if words and words[0] in OWNER_WORDS:
        core = words[1] if len(words) == 2 else ""
    return core in TOTAL_EXACT or core.startswith(TOTAL_STARTS)


def _strip_marker(label: str, markers: Sequence[str]) -> str:
    """Drop a leading marker written as a prefix ("Rahoitus ELY-keskus" with marker "Rahoitus ")."""
    folded = label.casefold()
    for marker in markers:
        key = marker.casefold()
        if key.strip() and folded.startswith(key) and len(label) > len(key):
            return label[len(key):].lstrip(_LEAD_STRIP)
    return label


def _clauses(sentence: str, markers: Sequence[str]) -> tuple[list[ProseLine], list[ProseTotal]]:
    """Lines and totals of one sentence, all with the sentence's period."""
    lines: list[ProseLine] = []
    totals: list[ProseTotal] = []
    amounts = _amounts(sentence)
    if not amounts:
        return lines, totals
    period = _period(sentence)
    text = " ".join(sentence.split())
    previous_end = 0
    for index, amount in enumerate(amounts):
        label = _raw_label(sentence[previous_end:amount.start], first=index == 0)
        previous_end = amount.end
        if _is_total(label):
            totals.append(ProseTotal(amount.text, period, text, _drop_words(label, VERBS, at_end=True)))
            continue
        funder = _drop_words(_drop_words(label, VERBS, at_end=True), TOTAL_WORDS, at_end=True)
        lines.append(ProseLine(_strip_marker(funder, markers), amount.text, period, text))
    return lines, totals


def _marker_key(marker: str) -> str:
    return marker.strip().rstrip(":").strip().casefold()


def _is_heading(paragraph: str, markers: Sequence[str]) -> bool:
    """A paragraph that is only a marker heading, e.g. "Kustannukset ja rahoitus:"."""
    text = paragraph.strip()
    if len(text) > 200:
        return False
    key = text.rstrip(":").strip().casefold()
    keys = [k for k in (_marker_key(m) for m in markers) if k]
    return any(key.startswith(k) and (text.endswith(":") or key == k) for k in keys)


def _first_marker_at(paragraph: str, markers: Sequence[str]) -> int:
    """Position of the first marker in the paragraph (case-insensitive), -1 when none."""
    folded = paragraph.casefold()
    positions = [folded.find(m.casefold()) for m in markers if m.strip()]
    found = [p for p in positions if p >= 0]
    return min(found) if found else -1


def _read_text(paragraphs: Sequence[str], markers: Sequence[str]) -> list[str]:
    """The parts of the summary that state funding: from a marker on, or right after a heading."""
    texts = []
    for index, paragraph in enumerate(paragraphs):
        if index > 0 and _is_heading(paragraphs[index - 1], markers):
            texts.append(paragraph)
            continue
        at = _first_marker_at(paragraph, markers)
        if at >= 0:
            starts = [0, *(m.end() for m in _SENTENCE_SPLIT_RE.finditer(paragraph, 0, at + 1))]
            texts.append(paragraph[starts[-1]:])
    return texts


def parse_prose_funding(paragraphs: Sequence[str], markers: Sequence[str]) -> ProseFunding:
    """Funding lines and stated totals from the summary's paragraphs (see the module docstring)."""
    lines: list[ProseLine] = []
    totals: list[ProseTotal] = []
    for text in _read_text(paragraphs, markers):
        for sentence in _SENTENCE_SPLIT_RE.split(text):
            found_lines, found_totals = _clauses(sentence, markers)
            lines.extend(found_lines)
            totals.extend(found_totals)
    return ProseFunding(tuple(lines), tuple(totals))
