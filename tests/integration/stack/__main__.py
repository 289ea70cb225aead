"""``python -m tests.integration.stack start|stop|status`` (see :mod:`.cli`)."""

import sys

from .cli import main

sys.exit(main())
