"""Bytes to lines, with the encoding found by a rule rather than by a guess from letter frequencies.

The lists have been published in ISO-8859-1 (2014-2020), cp1252 (2007-2013) and may come as UTF-8.
The rule, in order:
1. a UTF-16/UTF-32 byte-order mark or a NUL byte: not a text list in a supported encoding (error);
2. the UTF-8 byte-order mark: UTF-8 (utf-8-sig);
3. bytes that are valid UTF-8: UTF-8;
4. invalid UTF-8, but some line holds an UTF-8 encoded Latin-1 letter (bytes C3 80-BF, as in ä = C3 A4):
   a file pasted together from two encodings; each line is decoded on its own, and every line that
   is not UTF-8 gets a warning naming the encoding used for it;
5. otherwise a single-byte encoding: cp1252 when bytes 80-9F occur and cp1252 defines them all
   (there they are – ” € …; in ISO-8859-1 they are invisible control characters), else ISO-8859-1.
   The two agree on every other byte, so the choice never changes a letter.
A "?" in the text often stands for a character the publisher's encoding could not hold (54 rows of
the 2014-2020 list: "LukioTEKO ? Lukion"); lost_characters() finds those places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Problem

UTF8_BOM = b"\xef\xbb\xbf"
WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_C1 = re.compile(rb"[\x80-\x9f]")
_UTF8_LATIN_LETTER = re.compile(rb"\xc3[\x80-\xbf]")
# A "?" followed by a letter or digit ("T?etanes", "2014?2020", " ?yhteisöissä"), or standing alone
# between spaces ("LukioTEKO ? Lukion"); "nuori? -" or "Suomeen?" stay question marks. "¿" and U+FFFD
# never occur in the lists' Finnish and Swedish text except where a character was lost.
_LOST = re.compile(r"\?(?=\w)|(?:(?<=\s)|^)\?(?=\s|$)|[¿\ufffd]")


@dataclass(frozen=True)
class Decoded:
    """The lines of a text file (without line ends), how they were decoded, and what was noticed."""

    lines: list[str]
    encoding: str
    problems: list[Problem]


def split_lines(text: str) -> list[str]:
    """Lines split at LF only (CR before it dropped): U+0085 and friends are text, not line ends, here."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def single_byte_encoding(data: bytes) -> str:
    """cp1252 or ISO-8859-1 by rule 5 of the module docstring."""
    high = set(_C1.findall(data))
    if high and not {byte[0] for byte in high} & _CP1252_UNDEFINED:
        return "cp1252"
    return "iso-8859-1"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mixed(data: bytes) -> Decoded:
    """Rule 4: each line on its own; lines that are not UTF-8 are reported."""
    lines: list[str] = []
    problems: list[Problem] = []
    for number, chunk in enumerate(data.split(b"\n"), start=1):
        if _is_utf8(chunk):
            lines.append(chunk.decode("utf-8"))
            continue
        encoding = single_byte_encoding(chunk)
        text = chunk.decode(encoding)
        lines.append(text)
        problems.append(Problem(number, text.rstrip("\r"), "mixed-encoding", "warning",
                                f"line is not UTF-8 like the rest of the file; read as {encoding}"))
    text = "\n".join(lines)
    return Decoded(split_lines(text), "mixed", problems)


def decode(data: bytes) -> Decoded:
    """Decode by the rule of the module docstring; never raises."""
    if data.startswith(WIDE_BOMS) or b"\x00" in data:
        problem = Problem(0, "", "unsupported-encoding", "error",
                          "UTF-16/UTF-32 or binary data (byte-order mark or NUL bytes): "
                          "the lists are published in UTF-8, cp1252 or ISO-8859-1")
        return Decoded(split_lines(data.decode("iso-8859-1")), "unsupported", [problem])
    if data.startswith(UTF8_BOM):
        body = data[len(UTF8_BOM):]
        if _is_utf8(body):
            return Decoded(split_lines(body.decode("utf-8")), "utf-8-sig", [])
        mixed = _mixed(body)
        return Decoded(mixed.lines, "mixed", mixed.problems)
    if _is_utf8(data):
        return Decoded(split_lines(data.decode("utf-8")), "utf-8", [])
    if _UTF8_LATIN_LETTER.search(data):
        return _mixed(data)
    encoding = single_byte_encoding(data)
    return Decoded(split_lines(data.decode(encoding)), encoding, [])


def lost_characters(text: str) -> list[int]:
    """0-based positions in text where a character was probably lost in the publisher's encoding."""
    if "?" not in text and "¿" not in text and "\ufffd" not in text:
        return []
    return [match.start() for match in _LOST.finditer(text)]
