"""Frozen entry point: the same main() as the ``dermadesk`` command."""

import sys

from dermadesk.main import main

if __name__ == "__main__":
    sys.exit(main())
