"""matplotlib's config and cache folder: a private temporary one unless MPLCONFIGDIR names one.

Importing matplotlib creates ~/.config/matplotlib and writes a font list into ~/.cache/matplotlib,
but a run writes only its outputs and temporary files (tests/test_security.py). So matplotlib is
imported with MPLCONFIGDIR pointing at a temporary folder of this process, removed when the process
ends; matplotlib keeps the folder it found, and the variable is taken away again so child processes
do not inherit it. The font list is made again each run (about half a second); set MPLCONFIGDIR to
a folder to keep it between runs.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

VARIABLE = "MPLCONFIGDIR"


@contextlib.contextmanager
def private_config_dir() -> Iterator[None]:
    """Import matplotlib inside this block: it then uses a temporary folder unless the user chose one."""
    if os.environ.get(VARIABLE):
        yield
        return
    folder = tempfile.mkdtemp(prefix="hankedata-matplotlib-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ[VARIABLE] = folder
    try:
        yield
    finally:
        del os.environ[VARIABLE]
