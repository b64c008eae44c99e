"""Bytes to text: the charset a page declares (HTTP header or meta tag), checked, with a safe fallback.

Classic ASP sites often declare ISO-8859-1 while serving UTF-8 or the reverse; decoding with the wrong
charset silently corrupts every ä and ö, so a declaration is trusted only when the bytes agree with it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_SINGLE_BYTE = {"iso8859-1", "cp1252", "latin-1", "iso8859-15", "ascii"}


@dataclass(frozen=True)
class Decoded:
    """Decoded text and how it was decoded (for provenance and findings)."""

    text: str
    charset: str
    declared: str | None
    note: str  # empty when the declaration was used as is


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(data: bytes, content_type: str | None) -> str | None:
    """Charset from the Content-Type header, else from a <meta> tag in the first 4 KB."""
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            return match.group(1)
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf8_errors(data: bytes) -> tuple[int, int]:
    """(invalid byte sequences, valid non-ASCII characters) when the bytes are read as UTF-8."""
    replaced = data.decode("utf-8", errors="replace")
    kept = data.decode("utf-8", errors="ignore")
    return len(replaced) - len(kept), len(kept) - len(kept.encode("ascii", errors="ignore"))


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few damaged bytes: more valid non-ASCII characters than invalid sequences.

    Text in a single-byte charset almost never forms valid multi-byte UTF-8 sequences, so this
    keeps one stray byte from turning every ä and ö of a UTF-8 page into mojibake.
    """
    bad, good = _utf8_errors(data)
    return good > bad


def _damaged_utf8(data: bytes, label: str | None, note: str) -> Decoded:
    bad, _ = _utf8_errors(data)
    damage = f"{bad} invalid UTF-8 byte sequences replaced with U+FFFD"
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8", label, f"{note}; {damage}" if note else damage)


def decode_page(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode page bytes; never raises. UTF-8 that validates wins over a single-byte declaration."""
    label = declared_charset(data, content_type)
    codec = _codec_name(label)
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8", label, "UTF-8 byte-order mark")
    has_high_bytes = any(b > 0x7F for b in data[:65536]) or len(data) > 65536
    if codec in _SINGLE_BYTE and has_high_bytes and _is_utf8(data):
        note = f"declared {label} but the bytes are valid UTF-8; decoded as UTF-8"
        return Decoded(data.decode("utf-8"), "utf-8", label, note)
    if codec in _SINGLE_BYTE and has_high_bytes and _mostly_utf8(data):
        return _damaged_utf8(data, label, f"declared {label} but the bytes are UTF-8")
    if codec is not None:
        try:
            return Decoded(data.decode(codec), codec, label, "")
        except UnicodeDecodeError:
            note = f"bytes are not valid {label}"
        except LookupError:
            note = f"unusable charset {label}"
    else:
        note = f"unknown charset {label!r}" if label else ""
    if _is_utf8(data):
        return Decoded(data.decode("utf-8"), "utf-8", label, note)
    if _mostly_utf8(data):
        return _damaged_utf8(data, label, note)
    try:
        text = data.decode("cp1252")
        charset = "cp1252"
    except UnicodeDecodeError:
        text, charset = data.decode("latin-1"), "latin-1"
    fallback = f"not valid UTF-8; decoded as {charset}"
    return Decoded(text, charset, label, f"{note}; {fallback}" if note else fallback)
