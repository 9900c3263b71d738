"""Entry point for ``python -m kipp``."""

import sys

from kipp.cli import main

sys.exit(main())
