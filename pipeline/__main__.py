"""`python -m pipeline` is the same as `jkn-ie`."""

import sys

from pipeline.cli import main

sys.exit(main())
