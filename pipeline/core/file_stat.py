"""What a file is on disk, to tell an unchanged file without reading it (as make and git do)."""

from __future__ import annotations

import os

# A file modified this close before its stat was recorded is not trusted to be unchanged: a rewrite
# within the file system's timestamp granularity could leave every field of the stat the same.
RACY_NS = 2_000_000_000


def file_stat(path: str | os.PathLike[str]) -> list[int] | None:
    """Size, modification and change times, inode and device of a file (None when it cannot be stat'ed).

    Writing the file, or replacing it, changes at least one of them.
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def still(recorded: list[int] | None, now: list[int] | None, recorded_ns: int) -> bool:
    """True when a file's stat is the one recorded at time recorded_ns, and that record can be trusted."""
    return recorded is not None and recorded == now and recorded[1] <= recorded_ns - RACY_NS
