"""`python -m pipeline` is the same as the `hankedata` command."""

import sys

from .cli import main

sys.exit(main())
