"""``python -m lapakasik.rules params --on 2020-03-01`` without Django (same as the management command)."""

import sys

from .cli import run

sys.exit(run(sys.argv[1:]))
