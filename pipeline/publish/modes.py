"""Published files readable by everyone: folders 0755 and files 0644, whatever the umask.

outputs/ is meant to be served, usually by a web server running as another user. The staging
folder (tempfile.mkdtemp) and atomically written files (tempfile.mkstemp) are private (0700, 0600),
files linked from the previous outputs keep whatever mode they had, and a strict umask makes
anything else private too; so the staged folder is opened up, whole, before it is swapped in. Bits
beyond 0755/0644 (group write, say) follow the umask, as for any file the process creates.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PUBLIC_FOLDER = 0o755
PUBLIC_FILE = 0o644
_STATUS = Path("/proc/self/status")


def current_umask() -> int:
    """The process's umask, read from /proc on Linux (setting it to read it back is racy with threads)."""
    with contextlib.suppress(OSError, ValueError):
        for line in _STATUS.read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def public_modes(umask: int) -> tuple[int, int]:
    """(folder mode, file mode): readable by all, plus what the umask lets through."""
    return PUBLIC_FOLDER | (0o777 & ~umask), PUBLIC_FILE | (0o666 & ~umask)


def open_up(folder: Path) -> None:
    """Give `folder` and everything in it the public modes (only where they differ: a chmod changes ctime)."""
    folder_mode, file_mode = public_modes(current_umask())
    _set_mode(folder, folder_mode)
    for parent, folders, files in os.walk(folder):
        for name in folders:
            _set_mode(Path(parent, name), folder_mode)
        for name in files:
            _set_mode(Path(parent, name), file_mode)


def _set_mode(path: Path, mode: int) -> None:
    if path.lstat().st_mode & 0o7777 != mode:
        os.chmod(path, mode)
