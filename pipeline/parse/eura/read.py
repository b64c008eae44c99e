"""The entry point: one published list (CSV text or xlsx workbook) to a ListRead.

Which reader applies is decided by the bytes, not the file name: an xlsx workbook is a ZIP archive;
anything else is read as text. The name only appears in messages.
"""

from __future__ import annotations

from .model import ListRead, Problem
from .text_list import read_text_list
from .xlsx import is_workbook, read_workbook


def read_list(data: bytes, name: str) -> ListRead:
    """Read a list of operations; never raises on bad input: what cannot be read is a problem."""
    if not data:
        return ListRead(name, None, None, None, 0, None, (),
                        (Problem(0, "", "empty-file", "error", f"{name}: the file is empty"),))
    if is_workbook(data):
        return read_workbook(data, name)
    return read_text_list(data, name)
