"""`python -m hipflex_desktop` behaves exactly like the `hipflex` command."""

import sys

from hipflex_desktop.cli import main

sys.exit(main())
