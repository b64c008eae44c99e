"""What a file is on disk, to tell an unchanged file without reading it (as make and git do)."""

from __future__ import annotations

import os


def file_stat(path: str | os.PathLike[str]) -> list[int] | None:
    """Size, modification and change times, inode and device of a file (None when it cannot be stat'ed).

    Writing the file, or replacing it, changes at least one of them.
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
