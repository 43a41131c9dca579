"""The ``dermadesk`` entry point: the desktop app without a command, the CLI with one."""

from __future__ import annotations

import sys
from typing import Sequence

from dermadesk.cli import build_parser, run_command
from dermadesk.cli.output import fail


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "command", None) == "self-test":
        from dermadesk.selftest import run as self_test

        return self_test(args.keep, args.no_gui)
    if getattr(args, "command", None):
        return run_command(args)
    try:
        from dermadesk.ui.app import run
    except ImportError as exc:  # e.g. Qt's system libraries missing on a server
        fail(f"the desktop app cannot start ({exc}); the command line still works: dermadesk --help", False)
        return 1
    return run(data_dir=args.data_dir, demo=args.demo, screenshots=args.screenshots)


if __name__ == "__main__":
    sys.exit(main())
