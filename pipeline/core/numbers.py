"""Finnish money amounts: parse the forms cards and tables use, exactly, and format them back.

Rules (strict: anything else raises ValueError quoting the text):
- thousands are grouped by one space, U+00A0 or U+202F (U+2009 too) in groups of three: "255 827";
  an ungrouped integer "255827" is fine, bad grouping ("12 34 5") is not;
- the decimal separator is a comma with one or two digits ("1 234,50"); a dot is accepted as a
  decimal point only with one or two digits ("12.50") or with a multiplier ("€2.2M");
- "1.234.567,00" (dots as thousands separators) is REJECTED: a dot followed by three digits is
  ambiguous ("1.234" is 1234 in German style, 1.234 in English style) and no Finnish source
  writes money that way, so guessing could silently scale an amount by a thousand;
- multipliers k/K/t/tuhatta (10**3), M/milj./miljoonaa (10**6), mrd./miljardia (10**9) may follow
  the number; a currency sign € / EUR may lead or trail, units e / euro / euroa / euron / eur trail;
- minus is "-" or U+2212; a lone dash ("-", "–", "—", "−") is zero only when the caller says so;
- amounts above 10**15 euros are rejected (no public project is that big; it is a parse error).
Never goes through float, and every regular expression is linear on hostile input.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

MAX_ABS_EUR = Decimal(10) ** 15
MAX_TEXT_CHARS = 1000
MAX_FRACTION_DIGITS = 12
DASHES = frozenset({"-", "–", "—", "−"})

_SEP = "[ \u00a0\u202f\u2009]"
_MULTIPLIERS: dict[str, int] = {
    "k": 3, "K": 3, "t": 3, "tuhatta": 3,
    "M": 6, "milj": 6, "milj.": 6, "miljoona": 6, "miljoonaa": 6,
    "mrd": 9, "mrd.": 9, "miljardi": 9, "miljardia": 9,
}
_AMOUNT_RE = re.compile(
    rf"""
    (?P<sign1>[-+])?
    (?P<prefix>€|(?i:eur))?{_SEP}?
    (?P<sign2>[-+])?
    (?P<int>[1-9]\d{{0,2}}(?:{_SEP}\d{{3}})++(?!\d)|0|[1-9]\d*+)
    (?:(?P<decsep>[,.])(?P<frac>\d++))?
    {_SEP}?(?P<mult>(?i:miljoonaa|miljoona|milj\.?|tuhatta|miljardia|miljardi|mrd\.?)|M|k|K|t)?
    {_SEP}?(?P<unit>(?i:€|euroa|euron|euro|eur|e))?
    """,
    re.VERBOSE,
)
_DOT_GROUPED_RE = re.compile(r"[-+]?(?:€\s?)?\d{1,3}(?:\.\d{3})+(?!\d)")


def _shown(text: str, limit: int = 60) -> str:
    """The text as quoted in an error message, cut so a hostile megabyte stays out of logs."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _clean(text: str) -> str:
    """Strip surrounding whitespace (incl. no-break spaces) and turn U+2212 into an ASCII minus."""
    return text.strip().replace("\u2212", "-")


def _fraction_problem(decsep: str, frac: str, has_multiplier: bool) -> str:
    """Why a fraction part is not acceptable, or '' when it is."""
    if len(frac) > MAX_FRACTION_DIGITS:
        return f"has more than {MAX_FRACTION_DIGITS} decimals"
    if has_multiplier or len(frac) <= 2:
        return ""
    if decsep == ".":
        return "has a dot followed by three or more digits, which is ambiguous (thousands or decimals?)"
    return "has three or more decimals after the comma, which looks like English thousands grouping"


def _scaled(digits: str, frac: str, exponent: int) -> Decimal:
    """digits.frac * 10**exponent, exactly; integral results without a trailing '.0'."""
    value = Decimal(f"{digits}.{frac}" if frac else digits)
    if exponent == 0:
        return value
    with localcontext() as ctx:
        ctx.prec = len(digits) + len(frac) + exponent + 2
        value = value.scaleb(exponent)
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


_PLAIN_GROUPED_RE = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})*")
_GROUP_SEPARATORS = str.maketrans("", "", " \u00a0\u202f")


def parse_amount(text: str, *, dash_is_zero: bool = False) -> Decimal:
    """Parse one Finnish money amount into an exact Decimal of euros (rules in the module docstring)."""
    cleaned = _clean(text)
    if len(cleaned) <= 20 and _PLAIN_GROUPED_RE.fullmatch(cleaned):  # the common "255 827": no full grammar
        return Decimal(cleaned.translate(_GROUP_SEPARATORS))
    if not cleaned:
        raise ValueError(f"empty amount {_shown(text)}")
    if cleaned in DASHES:
        if dash_is_zero:
            return Decimal(0)
        raise ValueError(f"a lone dash {_shown(text)} is not an amount here (dash_is_zero is off)")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise ValueError(f"text of {len(cleaned)} characters is too long to be an amount: {_shown(text)}")
    match = _AMOUNT_RE.fullmatch(cleaned)
    if match is None:
        if _DOT_GROUPED_RE.match(cleaned):
            raise ValueError(f"amount {_shown(text)} uses '.' as a thousands separator, which is ambiguous; "
                             "write it as '1 234 567,00'")
        raise ValueError(f"not a Finnish money amount: {_shown(text)}")
    return _amount_from_match(match, text)


def _amount_from_match(match: re.Match[str], text: str) -> Decimal:
    """Turn a matched amount into a Decimal, checking sign, currency, decimals and magnitude."""
    sign1, sign2, prefix, unit = match["sign1"], match["sign2"], match["prefix"], match["unit"]
    if sign1 and sign2:
        raise ValueError(f"amount {_shown(text)} has two signs")
    if prefix and unit:
        raise ValueError(f"amount {_shown(text)} names its currency twice")
    mult, frac = match["mult"], match["frac"] or ""
    problem = _fraction_problem(match["decsep"] or "", frac, bool(mult))
    if problem:
        raise ValueError(f"amount {_shown(text)} {problem}")
    digits = re.sub(_SEP, "", match["int"])
    if len(digits.lstrip("0")) > 16:
        raise ValueError(f"amount {_shown(text)} is above the limit of 10**15 euros")
    exponent = _MULTIPLIERS.get(mult, _MULTIPLIERS.get(mult.lower(), 0)) if mult else 0
    value = _scaled(digits, frac, exponent)
    if value > MAX_ABS_EUR:
        raise ValueError(f"amount {_shown(text)} is above the limit of 10**15 euros")
    negative = "-" in (sign1 or sign2 or "")
    return -value if negative and value != 0 else value


def looks_like_amount(text: str) -> bool:
    """True when a short cell parses as money ('-' counts: tables write zero so); for flattened tables."""
    if len(text) > 64:
        return False
    try:
        parse_amount(text, dash_is_zero=True)
    except ValueError:
        return False
    return True


def format_amount_fi(value: Decimal, *, decimals: int = 0) -> str:
    """Finnish form ("1 234,50", U+00A0 grouping, rounded half up) that parse_amount reads back."""
    if not value.is_finite():
        raise ValueError(f"cannot format non-finite amount {value!r}")
    if decimals < 0 or decimals > MAX_FRACTION_DIGITS:
        raise ValueError(f"decimals must be 0..{MAX_FRACTION_DIGITS}, not {decimals}")
    if value.adjusted() > 60:
        raise ValueError(f"amount {value!r} is too large to format")
    with localcontext() as ctx:
        ctx.prec = 100
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    groups = [whole[max(0, end - 3):end] for end in range(len(whole), 0, -3)]
    text = "\u00a0".join(reversed(groups)) + (f",{frac}" if frac else "")
    return f"-{text}" if rounded < 0 else text
