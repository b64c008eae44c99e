"""Personal data in a text: found rule by rule and masked, under the source's personal-data policy.

The rules, in the order they are applied (each is off when source.yml publishes that kind of contact
data: publish_contact_emails, publish_contact_phones, publish_contact_names):
- email: an e-mail address, also written with (at), [at] or (dot), and templates such as
  etunimi.sukunimi(at)ouka.fi (the contacts grammar's pattern); addresses listed in source.yml
  `public_addresses` are kept;
- phone: a phone number of six digits or more (040 123 4567, +358 40 ..., (08) 558 ...);
- titled-name: a name right after a job title ("hankepäällikkö Etu Suku"), read as the contacts
  grammar reads one;
- contact-name and known-name: a name read from the card's own contacts, or from any card's; found
  where its words stand in order, each capitalised, with only spaces between (any letter case after
  the first letter).
What a rule finds is replaced by a marker that says what was there. Every pattern is linear.
The RE2 hints are cheap column-wide tests (pyarrow) that let most cells skip the Python rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache

from pipeline.core.sources import Source
from pipeline.parse.hankekortti.contacts import (
    EMAIL_PATTERN,
    PHONE_MIN_DIGITS,
    PHONE_PATTERN,
    ROLE_SUFFIXES,
    email_address,
    titled_names,
)

EMAIL, PHONE, TITLED_NAME, CONTACT_NAME, KNOWN_NAME = "email", "phone", "titled-name", "contact-name", "known-name"
MARKERS = {EMAIL: "[sähköposti poistettu]", PHONE: "[puhelinnumero poistettu]", TITLED_NAME: "[nimi poistettu]",
           CONTACT_NAME: "[nimi poistettu]", KNOWN_NAME: "[nimi poistettu]"}
WHAT = {EMAIL: "e-mail address", PHONE: "phone number", TITLED_NAME: "name after a job title",
        CONTACT_NAME: "name from the card's contacts", KNOWN_NAME: "name from another card's contacts"}

# RE2 (pyarrow) hints: every cell a rule can match matches its rule's hint, so other cells skip the rule.
_SPACE = r"[\s\pZ\x{1c}-\x{1f}\x{85}]"
_SEPARATOR = r"[\pZ\-.]"
HINTS = {
    EMAIL: rf"@|[(\[]{_SPACE}?(?i:at|a|ät){_SPACE}?[)\]]|{_SPACE}at{_SPACE}",
    # a 0, + or ( not inside a word or an amount ("1 027 995"), then five more digits, spaces, dashes, brackets
    PHONE: rf"(?:^|[^\p{{L}}\p{{N}}_+\pZ\-.]|(?:^|[^\p{{Nd}}]){_SEPARATOR})(?:\+\p{{Nd}}|\(0|0)[\p{{Nd}}\pZ\-()]{{5,}}",
    TITLED_NAME: rf"(?i:{'|'.join(ROLE_SUFFIXES)})[^\p{{L}}\p{{N}}]+[^\p{{Ll}}]",
}
# Names are looked for only in cells with two capitalised words in a row on one line (this hint decides which).
NAME_HINT = r"\p{Lu}[\p{L}\p{N}\-]*[\p{Zs}\t]+\p{Lu}"

_EMAIL_RE = re.compile(EMAIL_PATTERN)
_PHONE_RE = re.compile(PHONE_PATTERN)
_TLD = re.compile(r"\.[^\W\d_]{2,}$")
_ZS = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"  # Unicode's space separators (Zs) but the space
_OTHER_SPACES = re.compile(f"[{_ZS}]")
_NAME_WORD = re.compile(r"[^\W\d_]++(?:-[^\W\d_]++)*+")
_WORD_IN_RUN = re.compile(r"\S+")

Name = tuple[str, ...]  # a name's words, case-folded


def spaced(text: str) -> str:
    """The text with every space separator an ordinary space (same length, so spans carry over)."""
    return _OTHER_SPACES.sub(" ", text) if _OTHER_SPACES.search(text) else text


@cache
def _runs() -> re.Pattern[str]:
    """Runs of two or more capitalised words (letters of the Basic Multilingual Plane), made when first needed."""
    capitalised = rf"[{_upper_class()}][^\W\d_]*+(?:-[^\W\d_]++)*+"
    return re.compile(rf"{capitalised}(?:[ \t{_ZS}]++{capitalised})++")


def _upper_class() -> str:
    """A regex character class body of the capitalised letters of the Basic Multilingual Plane."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        char = chr(code)
        if char.isupper() and char.isalpha():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


@dataclass(frozen=True)
class Policy:
    """Which rules are on (a kind of contact data the source does not publish is masked) and what stays."""

    emails: bool = True
    phones: bool = True
    names: bool = True
    public_addresses: frozenset[str] = frozenset()

    def rules(self) -> tuple[str, ...]:
        """The pattern rules that are on (names are looked for separately)."""
        return tuple(rule for rule, on in ((EMAIL, self.emails), (PHONE, self.phones), (TITLED_NAME, self.names))
                     if on)


def policy_of(source: Source) -> Policy:
    """The policy a source declares in its source.yml."""
    return Policy(emails=not source.publish_contact_emails, phones=not source.publish_contact_phones,
                  names=not source.publish_contact_names, public_addresses=frozenset(source.public_addresses))


def name_of(text: str) -> Name | None:
    """A contact name as the guard matches it (its words, case-folded), or None when it is not two words or more."""
    words = tuple(word.casefold() for word in _NAME_WORD.findall(text))
    return words if len(words) >= 2 else None


def capitalised_runs(text: str) -> Iterator[list[tuple[str, int, int]]]:
    """Each run of two or more capitalised words with only spaces between, on one line: (case-folded word, start,
    end)."""
    for run in _runs().finditer(text):
        yield [(word.group().casefold(), run.start() + word.start(), run.start() + word.end())
               for word in _WORD_IN_RUN.finditer(run.group())]


def run_words(text: str) -> Iterator[list[str]]:
    """The case-folded words of each run capitalised_runs finds (without where they stand: quicker)."""
    for run in _runs().finditer(text):
        yield run.group().casefold().split()


def name_spans(text: str, names: frozenset[Name]) -> list[tuple[int, int]]:
    """Where any of the names stands in the text (see the module text)."""
    lengths = sorted({len(name) for name in names})
    spans = []
    for words in capitalised_runs(text):
        folded = [word for word, _, _ in words]
        for i in range(len(words)):
            spans += [(words[i][1], words[i + n - 1][2]) for n in lengths
                      if i + n <= len(words) and tuple(folded[i:i + n]) in names]
    return spans


def _email_spans(text: str, keep: frozenset[str]) -> list[tuple[int, int]]:
    spans = []
    for match in _EMAIL_RE.finditer(text):
        address = email_address(match.group())
        if address and _TLD.search(address) and address.casefold() not in keep:
            spans.append(match.span())
    return spans


def _phone_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _PHONE_RE.finditer(text)
            if sum(char.isdigit() for char in match.group()) >= PHONE_MIN_DIGITS]


def _masked(text: str, spans: list[tuple[int, int]], marker: str) -> str:
    """The text with the (possibly overlapping) spans replaced by the marker, one marker per joined span."""
    joined: list[list[int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    parts, last = [], 0
    for start, end in joined:
        parts += [text[last:start], marker]
        last = end
    return "".join(parts) + text[last:]


def mask_names(text: str, names: frozenset[Name], rule: str) -> tuple[str, int]:
    """The text with the names masked (as `rule` says), and how many were."""
    spans = name_spans(text, names) if names else []
    return (_masked(text, spans, MARKERS[rule]) if spans else text), len(spans)


def _spans(rule: str, text: str, policy: Policy) -> list[tuple[int, int]]:
    if rule == EMAIL:
        return _email_spans(text, policy.public_addresses)
    return _phone_spans(text) if rule == PHONE else titled_names(text)


def mask(text: str, policy: Policy, names: frozenset[Name] = frozenset(), name_rule: str = CONTACT_NAME,
         rules: Collection[str] | None = None) -> tuple[str, Counter[str]]:
    """The text with what each rule of the policy finds masked, and how many each rule found.

    `rules` limits the pattern rules tried to those whose hint matched the text (all that are on by default).
    """
    found: Counter[str] = Counter()
    for rule in policy.rules():
        if rules is not None and rule not in rules:
            continue
        spans = _spans(rule, spaced(text), policy)
        if spans:
            found[rule] += len(spans)
            text = _masked(text, spans, MARKERS[rule])
    if policy.names and names:
        text, count = mask_names(text, names, name_rule)
        found[name_rule] += count
    return text, +found
