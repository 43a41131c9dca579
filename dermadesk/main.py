"""The ``dermadesk`` entry point: the desktop app without a command, the CLI with one."""

from __future__ import annotations

import os
import sys
from typing import Sequence

from dermadesk.cli import parse_args, run_command
from dermadesk.cli.output import fail


READER_GONE = 141  # as a shell reports a command stopped by SIGPIPE: 128 + 13


def main(argv: Sequence[str] | None = None) -> int:
    """The command asked for (or the app); output piped into a reader that stopped reading (``| head``) ends it
    quietly, as other command-line tools end: no traceback, exit code 141."""
    try:
        return _main(argv)
    except BrokenPipeError:
        try:  # Python flushes stdout again at exit: into nothing now, never a second BrokenPipeError
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # a stdout with no file behind it (a test capturing it): nothing to flush
            pass
        return READER_GONE


def _main(argv: Sequence[str] | None) -> int:
    args = parse_args(argv)
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
