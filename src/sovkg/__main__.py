"""``python -m sovkg`` runs the CLI."""

import sys

from sovkg.cli import main

sys.exit(main())
