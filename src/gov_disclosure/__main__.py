"""``python -m gov_disclosure``: the same as the ``gov-disclosure`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
