"""``python -m dermadesk``: the GUI by default, sub-commands for headless work."""

import sys

from dermadesk.main import main

if __name__ == "__main__":
    sys.exit(main())
