"""``python -m kipp.bench build|pages …``: the benchmark's child processes."""

import sys

from kipp.bench.children import child

sys.exit(child(sys.argv[1:]))
