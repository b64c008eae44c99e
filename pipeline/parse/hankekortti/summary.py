"""The free-text summary: paragraphs, and the results part under a 'Tulokset' heading."""

from __future__ import annotations

from collections.abc import Sequence

PAD = " \t\u00a0\u202f"
MAX_HEADING_CHARS = 80


def paragraphs(lines: Sequence[str]) -> list[str]:
    """Blank-line separated paragraphs; lines inside a paragraph joined with a newline."""
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        text = line.strip(PAD)
        if text:
            current.append(text)
        elif current:
            out.append("\n".join(current))
            current = []
    if current:
        out.append("\n".join(current))
    return out


def _heading_key(text: str) -> str:
    return text.strip(PAD).rstrip(":").strip(PAD).casefold()


def is_heading(paragraph: str, known: Sequence[str] = ()) -> bool:
    """A one-line paragraph that ends with ':' or is a known heading."""
    if "\n" in paragraph or len(paragraph) > MAX_HEADING_CHARS:
        return False
    return paragraph.rstrip(PAD).endswith(":") or _heading_key(paragraph) in {_heading_key(k) for k in known}


def results_text(parts: Sequence[str], results_headings: Sequence[str], stop_headings: Sequence[str]) -> str | None:
    """Text under the first results heading, up to the next heading; None when there is none."""
    keys = {_heading_key(h) for h in results_headings}
    for index, paragraph in enumerate(parts):
        first_line = paragraph.split("\n", 1)[0]
        head, sep, rest = first_line.partition(":")
        inline = sep and _heading_key(head) in keys and rest.strip(PAD)
        if _heading_key(paragraph) not in keys and not inline:
            continue
        collected = [(rest.strip(PAD) + paragraph[len(first_line):]).strip()] if inline else []
        for following in parts[index + 1:]:
            if is_heading(following, [*results_headings, *stop_headings]):
                break
            collected.append(following)
        return "\n\n".join(collected) or None
    return None
