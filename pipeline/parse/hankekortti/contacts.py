"""The Yhteyshenkilöt (contacts) value of a card: split into people with role, name, phone and e-mail.

Cards write contacts as free text: "Hankepäällikkö Jari Jokisalo. Sähköposti:
etunimi.sukunimi(at)businessoulu.com." or several people on one line with titles that contain
commas. The text is tokenised once (e-mails, phones, labels, words, punctuation); a person is a
run of two to four capitalised words; the words just before it (back to a phone, e-mail, label
or sentence end) are the role, and what follows up to the next person belongs to that person.
E-mail templates (etunimi.sukunimi@...) are kept as a pattern and never filled in with a name:
that would invent personal data. Never raises; every token pattern is linear on hostile input.

The patterns for e-mail addresses and phone numbers, and the reading of a name after a job title,
are also what the personal-data guard (pipeline/guard) looks for in every published cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple


@dataclass(frozen=True)
class Contact:
    """One contact person as published; raw is the piece of text the values were read from."""

    role: str
    name: str
    phone: str
    email: str
    email_pattern: str
    organisation: str
    raw: str


class _Token(NamedTuple):
    kind: str  # email | phone | plabel | elabel | word | num | punct
    text: str
    start: int
    end: int


ROLE_SUFFIXES = (
    "päällikkö", "koordinaattori", "asiantuntija", "johtaja", "suunnittelija", "sihteeri", "vastaava",
    "työntekijä", "tutkija", "insinööri", "neuvoja", "ohjaaja", "kehittäjä", "vetäjä", "henkilö",
    "assistentti", "avustaja", "konsultti", "arkkitehti", "esimies", "ekonomisti", "analyytikko",
    "valmentaja", "lehtori", "professori", "rehtori", "opettaja", "puutarhuri", "hoitaja", "tiedottaja",
    "mestari", "tarkastaja", "agentti", "mentori", "manager", "director", "coordinator", "specialist",
    "officer", "advisor", "adviser", "consultant", "researcher", "assistant", "engineer",
)
ORG_WORDS = frozenset({"oy", "oyj", "ab", "ry", "ltd", "inc", "gmbh"})
ORG_SUFFIXES = ("kaupunki", "yliopisto", "keskus", "liitto", "ministeriö", "virasto", "säätiö", "yhtymä",
                "kunta", "korkeakoulu", "palvelut")
NOT_NAME_WORDS = frozenset({"lisätietoja", "lisätiedot", "yhteystiedot", "tiedot", "yhteys", "contact",
                            "info", "ja", "sekä", "and"})
TEMPLATE_WORDS = frozenset({"etunimi", "sukunimi", "firstname", "lastname", "first", "last", "forename",
                            "surname", "givenname", "familyname", "etu", "suku", "nimi", "name"})
CONNECTORS = frozenset({"ja", "sekä", "and", "&"})
ROLE_PUNCT = frozenset({",", "-", "–", "/", "&"})

_DOT = r"(?:\.|\s?[\(\[]\s?(?i:dot|piste)\s?[\)\]]\s?|\s{1,3}(?i:dot|piste)\s{1,3})"
_AT = r"(?:@|\s?[\(\[]\s?(?i:at|a|ät)\s?[\)\]]\s?|\s{1,3}at\s{1,3})"
EMAIL_PATTERN = (
    r"(?<![\w.%+\-])(?<![\)\]])(?<![\)\]] )"
    rf"(?P<local>[\w%+\-]++(?:{_DOT}[\w%+\-]++)*+){_AT}(?P<domain>[\w\-]++(?:{_DOT}[\w\-]++)++)"
)
# +358 40 ..., +358 (0)40 ..., (08) 558 ..., 040-...; never the second group of an amount ("1 027 995")
# nor a business id ("0187690-1").
PHONE_PATTERN = (r"(?<![\w+])(?<!\d[ \-.])(?!\d{7}-\d(?!\d))(?:\+\d{1,3}(?:[ \-]?\(0\))?|\(0\d{1,3}\)|0)"
                 r"[ \-]?\d{1,4}(?:[ \-]?\d{1,4}){1,4}+(?!\d)")
PHONE_MIN_DIGITS = 6  # fewer digits is a room, a year or an amount, not a phone number
_PHONE_LABEL = r"(?<!\w)(?i:puhelin|matkapuhelin|puh\.?|tel\.?|gsm|mob\.?|phone|p\.)(?!\w):?"
_EMAIL_LABEL = r"(?<!\w)(?i:sähköpostiosoite|sähköpostit|sähköposti|s-posti|sposti|e-?mail|e-?posti)(?!\w):?"
_TOKEN_RE = re.compile(
    rf"(?P<email>{EMAIL_PATTERN})|(?P<phone>{PHONE_PATTERN})|(?P<plabel>{_PHONE_LABEL})|(?P<elabel>{_EMAIL_LABEL})"
    r"|(?P<word>[^\W\d_]++(?:-[^\W\d_]++)*+)|(?P<num>\d++)|(?P<punct>[^\w\s])"
)
_DOT_RE = re.compile(_DOT)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def _tokens(text: str) -> list[_Token]:
    """Tokens in order; e-mails and phones are single tokens."""
    return [_Token(m.lastgroup or "punct", m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _is_role_word(token: _Token) -> bool:
    return token.kind == "word" and _role_word(token.text)


@lru_cache(maxsize=65_536)
def _role_word(word: str) -> bool:
    """A job title word (words repeat across cards, so the suffix scan is remembered)."""
    return word.casefold().endswith(ROLE_SUFFIXES)


def _is_name_word(token: _Token) -> bool:
    """A capitalised word that can be part of a person's name."""
    word = token.text
    folded = word.casefold()
    return (token.kind == "word" and word[:1].isupper() and any(c.islower() for c in word)
            and not _is_role_word(token) and folded not in NOT_NAME_WORDS and folded not in ORG_WORDS
            and not folded.endswith(ORG_SUFFIXES))


def _is_boundary(token: _Token) -> bool:
    """Tokens a role never spans: contact details, labels, numbers, sentence punctuation."""
    if token.kind == "word":
        return False
    return token.kind != "punct" or token.text not in ROLE_PUNCT


def _name_runs(tokens: list[_Token], text: str) -> list[tuple[int, int]]:
    """(first, last+1) token indexes of runs of 2..4 name words separated only by spaces."""
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        if not _is_name_word(tokens[index]):
            index += 1
            continue
        end = index + 1
        while (end < len(tokens) and _is_name_word(tokens[end])
               and not text[tokens[end - 1].end:tokens[end].start].strip()):
            end += 1
        if 2 <= end - index <= 4:
            runs.append((index, end))
        index = end
    return runs


def _lead_start(tokens: list[_Token], name_start: int, floor: int) -> int:
    """Index where the role words before a name begin (== name_start when there are none)."""
    index = name_start
    while index > floor and not _is_boundary(tokens[index - 1]):
        index -= 1
    return index


def _trimmed(tokens: list[_Token]) -> list[_Token]:
    """Drop connectors and punctuation from both ends of a role region."""
    items = list(tokens)
    while items and (items[0].kind == "punct" or items[0].text.casefold() in CONNECTORS):
        items.pop(0)
    while items and (items[-1].kind == "punct" or items[-1].text.casefold() in CONNECTORS):
        items.pop()
    return items


def _lead_role(region: list[_Token]) -> list[_Token]:
    """Role before a name: from its first title word on, or all of it when no title word is known."""
    items = _trimmed(region)
    first = next((i for i, token in enumerate(items) if _is_role_word(token)), 0)
    return _trimmed(items[first:])


def _trail_role(region: list[_Token]) -> list[_Token]:
    """Role after a name ("Matti M, projektipäällikkö"): only up to its last known title word."""
    items = _trimmed(region)
    last = max((i for i, token in enumerate(items) if _is_role_word(token)), default=-1)
    return _trimmed(items[:last + 1])


def _span(text: str, tokens: list[_Token]) -> str:
    return text[tokens[0].start:tokens[-1].end] if tokens else ""


def email_address(text: str) -> str:
    """The address an e-mail pattern match stands for, (at)/(dot) undone and the domain lower-cased ('' if none)."""
    return _email_parts(_Token("email", text, 0, len(text)))[0]


def _email_parts(token: _Token) -> tuple[str, str]:
    """(address, domain) of an e-mail token with the (at)/(dot) obfuscations undone."""
    match = _TOKEN_RE.fullmatch(token.text)
    if match is None or match["local"] is None:
        return "", ""
    local = _DOT_RE.sub(".", match["local"])
    domain = _DOT_RE.sub(".", match["domain"]).casefold()
    return f"{local}@{domain}", domain


def _is_template(address: str) -> bool:
    local = address.partition("@")[0].casefold()
    return all(part in TEMPLATE_WORDS for part in re.split(r"[._\-]", local))


@dataclass
class _Details:
    phones: list[str]
    emails: list[str]
    patterns: list[str]
    domains: list[str]


def _details(tokens: list[_Token]) -> _Details:
    """Phones, real e-mails and e-mail templates among the tokens, in order."""
    found = _Details([], [], [], [])
    for token in tokens:
        if token.kind == "phone" and sum(c.isdigit() for c in token.text) >= PHONE_MIN_DIGITS:
            found.phones.append(token.text)
        elif token.kind == "email":
            address, domain = _email_parts(token)
            if not address or "." not in domain or not re.search(r"\.[^\W\d_]{2,}$", domain):
                continue
            (found.patterns if _is_template(address) else found.emails).append(address)
            found.domains.append(domain)
    return found


def _contact(role: str, name: str, details: _Details, shared: _Details, raw: str) -> Contact:
    """One Contact; a person without an address of their own gets the card's shared template only."""
    pattern = details.patterns[0] if details.patterns else ""
    if not details.emails and not pattern and shared.patterns:
        pattern = shared.patterns[0]
    domain = details.domains[0] if details.domains else (pattern.partition("@")[2] if pattern else "")
    return Contact(role=role, name=name, phone="; ".join(details.phones), email="; ".join(details.emails),
                   email_pattern=pattern, organisation=domain, raw=raw.strip(" ,;") or raw.strip())


def _fallback(text: str, tokens: list[_Token]) -> list[Contact]:
    """Text without a recognisable name: one Contact with whatever could be read."""
    details = _details(tokens)
    role_at = next((i for i, token in enumerate(tokens) if _is_role_word(token)), None)
    role = ""
    if role_at is not None:
        end = role_at
        while end < len(tokens) and not _is_boundary(tokens[end]):
            end += 1
        role = _span(text, _trimmed(tokens[role_at:end]))
    return [_contact(role, "", details, details, text.strip())]


def parse_contacts(text: str) -> list[Contact]:
    """Split a contacts value into people; [] for empty text, one raw Contact when it cannot split."""
    text = text.translate(_SPACES)
    if not text.strip():
        return []
    tokens = _tokens(text)
    runs = _name_runs(tokens, text)
    if not runs:
        return _fallback(text, tokens)
    leads = [_lead_start(tokens, start, runs[i - 1][1] if i else 0) for i, (start, _) in enumerate(runs)]
    has_lead = [bool(_lead_role(tokens[lead:start])) for lead, (start, _) in zip(leads, runs, strict=True)]
    for i in range(1, len(runs)):
        if leads[i] == runs[i - 1][1] and not has_lead[i - 1]:
            leads[i], has_lead[i] = runs[i][0], False
    chunk_starts = [0, *leads[1:]]
    chunk_ends = [*leads[1:], len(tokens)]
    shared = _details(tokens)
    contacts = []
    for i, (start, end) in enumerate(runs):
        after = end
        while after < chunk_ends[i] and not _is_boundary(tokens[after]):
            after += 1
        role_tokens = _lead_role(tokens[leads[i]:start]) if has_lead[i] else _trail_role(tokens[end:after])
        chunk = tokens[chunk_starts[i]:chunk_ends[i]]
        raw = text[chunk[0].start:chunk[-1].end]
        contacts.append(_contact(_span(text, role_tokens), _span(text, tokens[start:end]),
                                 _details(chunk), shared, raw))
    return contacts


def titled_names(text: str) -> list[tuple[int, int]]:
    """Where a person's name follows a job title in any text ("... hankepäällikkö Etu Suku ..."): (start, end) spans.

    Read as parse_contacts reads a contacts value, so a contact line the parser put in another field
    (a page it could not lay out) is still seen for what it is.
    """
    spaced = text.translate(_SPACES)
    tokens = _tokens(spaced)
    return [(tokens[start].start, tokens[end - 1].end) for start, end in _name_runs(tokens, spaced)
            if start and _is_role_word(tokens[start - 1])
            and not spaced[tokens[start - 1].end:tokens[start].start].strip()]
