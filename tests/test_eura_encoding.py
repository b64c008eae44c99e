"""Encoding by rule, line ends, and the '?' that stands for a lost character."""

from __future__ import annotations

import pytest

from pipeline.parse.eura.encoding import decode, lost_characters, split_lines

TEXT = "Päättymispvm,Hämeen elinkeino-, liikenne- ja ympäristökeskus"


@pytest.mark.parametrize(("data", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("iso-8859-1"), "iso-8859-1"),
    ((TEXT + " – ”lainaus”").encode("cp1252"), "cp1252"),
    (b"Koodi,Rahasto", "utf-8"),  # plain ASCII is valid UTF-8
])
def test_the_encoding_rule(data: bytes, encoding: str) -> None:
    decoded = decode(data)
    assert decoded.encoding == encoding
    assert decoded.problems == []
    assert decoded.lines[0].startswith(("Päättymispvm", "Koodi"))


def test_c1_bytes_cp1252_leaves_undefined_are_read_as_iso_8859_1() -> None:
    decoded = decode("Hanke ä".encode("iso-8859-1") + b"\x81")
    assert decoded.encoding == "iso-8859-1"
    assert decoded.lines == ["Hanke ä\x81"]


def test_a_file_pasted_from_two_encodings_is_read_line_by_line() -> None:
    data = "Päättymispvm\n".encode() + "Hämeen liitto\n".encode("iso-8859-1") + "Tampere – Pori\n".encode()
    decoded = decode(data)
    assert decoded.encoding == "mixed"
    assert decoded.lines == ["Päättymispvm", "Hämeen liitto", "Tampere – Pori"]
    assert [(p.line, p.check, p.severity) for p in decoded.problems] == [(2, "mixed-encoding", "warning")]


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-16"),
    b"Koodi\x00,Rahasto",
])
def test_utf16_and_binary_are_not_lists(data: bytes) -> None:
    decoded = decode(data)
    assert decoded.encoding == "unsupported"
    assert [p.check for p in decoded.problems] == ["unsupported-encoding"]


def test_lines_split_at_lf_only() -> None:
    # U+0085 (NEL) is a character of ISO-8859-1 text here, not a line end; CRLF loses its CR
    assert split_lines("a\x85b\r\nc\n") == ["a\x85b", "c"]
    assert split_lines("a\nb") == ["a", "b"]
    assert split_lines("") == []


@pytest.mark.parametrize(("text", "lost"), [
    ("LukioSILTA ? Lukion työelämä", [11]),
    ("T?etanes naal", [1]),
    ("ohjelma 2014?2020", [12]),
    ("ympäristöissä ja ?yhteisöissä", [17]),
    ("Projekti ¿ hanke", [9]),
    ("Hyvä ?  Vapaaehtoistyötä", [5]),
    ("SANTA?S GOLDEN OY", [5]),
    ("Minne menet nuori? -nuorisotyö", []),
    ('"Takaisin Suomeen?" Tutkimus', []),
    ("Mitä jos?", []),
    ("no question at all", []),
])
def test_lost_characters(text: str, lost: list[int]) -> None:
    assert lost_characters(text) == lost
