"""Command line: the parser and the dispatcher of the headless sub-commands.

The one entry point is ``dermadesk.main.main`` (it opens the GUI without a command and runs
``self-test``, which opens the GUI too). Every command accepts ``--json`` and ``--data-dir DIR`` and
exits non-zero with a one-line message on error.
"""

from __future__ import annotations

import argparse
import difflib
import sqlite3
import sys
from typing import NoReturn, Sequence

from dermadesk import __version__
from dermadesk.cli.output import Context, fail
from dermadesk.contract import ContractError
from dermadesk.domain.errors import DermaDeskError
from dermadesk.files import NotWritten


class _Parser(argparse.ArgumentParser):
    """argparse's parser (every command's: sub-parsers are made of their parent's class), except that a command
    word that is none, or none given, is said as one: "dermadesk patient: error: 'edit' is not a patient command
    (choose from add, list, ...)", where argparse named its internal name ("argument action: invalid choice"), with
    the one meant where a word is close to one ("'lst' is not a patient command: did you mean 'list'? (choose ...)")."""

    def _commands(self) -> argparse._SubParsersAction | None:  # noqa: SLF001 - argparse offers no public one
        return next((a for a in self._actions if isinstance(a, argparse._SubParsersAction)), None)  # noqa: SLF001

    def _which(self, commands: argparse._SubParsersAction, meant: str = "") -> str:  # noqa: SLF001
        """ "patient command (choose from add, list, ...)"; ``meant`` before the list ("patient command: did you mean
        'list'? (choose from ...)")."""
        group = self.prog.split(" ", 1)[1] if " " in self.prog else ""
        listed = ", ".join(name for name in commands.choices)
        return f"{group + ' ' if group else ''}command{meant} (choose from {listed})"

    def _check_value(self, action: argparse.Action, value: object) -> None:
        if isinstance(action, argparse._SubParsersAction) and value not in action.choices:  # noqa: SLF001
            close = difflib.get_close_matches(str(value), list(action.choices), n=1)  # "lst": "list"
            meant = f": did you mean '{close[0]}'?" if close else ""
            raise argparse.ArgumentError(None, f"'{value}' is not a {self._which(action, meant)}")
        super()._check_value(action, value)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: object = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self._given = list(sys.argv[1:] if args is None else args)  # what ``error`` looks at for a misspelt option
        return super().parse_known_args(args, namespace)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        commands = self._commands()
        if commands is not None and message == f"the following arguments are required: {commands.dest}":
            message = f"give a {self._which(commands)}"
        super().error(self.misspelt(getattr(self, "_given", [])) or message)

    def misspelt(self, given: Sequence[str]) -> str | None:
        """"unknown option --decisoin (did you mean --decision?)": the first option given to this command that it
        does not know but one of its own is close to, said before any other error (argparse took the value of
        "--decisoin refer" for the capture id, "argument ID: invalid int value: 'refer'"); None for none. A command
        that has commands of its own looks only before its command word."""
        known = [o for o in self._option_string_actions if o.startswith("--")]
        for token in given:
            if token == "--" or (self._commands() is not None and not token.startswith("-")):
                break
            name = token.split("=", 1)[0]
            if not name.startswith("--") or name in known or any(o.startswith(name) for o in known):
                continue  # a value, a short option, or one of its own (argparse takes a prefix of one)
            close = difflib.get_close_matches(name, known, n=1)
            if close:
                return f"unknown option {name} (did you mean {close[0]}?)"
        return None


def _add_common(parser: argparse.ArgumentParser, top: bool = False) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="data directory (default: $DERMADESK_DATA_DIR, else the folder chosen in the app's "
                        "Settings, else the per-user folder)")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="machine-readable JSON output")
    parser.add_argument("--operator", metavar="NAME", default=default,
                        help="who the audit log and reports name for this command's changes (default: "
                        "$DERMADESK_OPERATOR, else the operator set in the app, else the computer's account)")


def _walk(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = []
    for action in parser._actions:  # noqa: SLF001 - argparse offers no public walk
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for child in action.choices.values():
                found.append(child)
                found += _walk(child)
    return found


def build_parser() -> argparse.ArgumentParser:
    from dermadesk.cli import assess_cmds, backup_cmds, register_cmds, report_cmds, track_cmds, transfer_cmds

    parser = _Parser(prog="dermadesk", description="DermaDesk: offline dermoscopy decision "
                                     "support (not a diagnosis). Without a command, the desktop app opens.")
    parser.add_argument("--version", action="version", version=f"DermaDesk {__version__}")
    _add_common(parser, top=True)
    parser.add_argument("--demo", action="store_true", help="open a throwaway register with synthetic patients")
    parser.add_argument("--screenshots", metavar="DIR", help="with --demo: save PNGs of the main views and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_cmds.add_parsers(sub)
    backup_cmds.add_parsers(sub)
    assess_cmds.add_parsers(sub)
    track_cmds.add_parsers(sub)
    report_cmds.add_parsers(sub)
    transfer_cmds.add_parsers(sub)
    selftest = sub.add_parser("self-test", help="check the whole program in a temporary data directory")
    selftest.add_argument("--keep", metavar="DIR", help="use DIR as the data directory and keep it")
    selftest.add_argument("--no-gui", action="store_true", help="skip opening the main window")
    selftest.set_defaults(func=None)  # run by dermadesk.main (it opens the GUI, which the CLI layer may not)
    for child in _walk(parser):
        _add_common(child)
        child.set_defaults(**{_CHOSEN: child})  # the innermost command given sets it last
    return parser


_CHOSEN = "_chosen_parser"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The arguments, as ``build_parser().parse_args`` reads them, except that an argument no command takes is
    refused by the command given, with its usage ("dermadesk capture add: error: unrecognized arguments: --x"):
    argparse refuses it at the top level, with the usage of ``dermadesk`` itself, which does not say what
    ``capture add`` takes."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    chosen = vars(args).pop(_CHOSEN, parser)
    if extra:  # one given before the command ("dermadesk --jsn patient list") is looked at by the command too
        chosen.error(chosen.misspelt(extra) or f"unrecognized arguments: {' '.join(extra)}")
    return args


def run_command(args: argparse.Namespace) -> int:
    as_json = bool(getattr(args, "json", False))
    try:
        return int(args.func(Context.from_args(args), args))
    except (DermaDeskError, ContractError) as exc:
        fail(str(exc), as_json)
        return 1
    except KeyboardInterrupt:
        fail("interrupted", as_json)
        return 130
    except BrokenPipeError:  # the reader of the output is gone (| head): nothing more can be said there
        raise
    except NotWritten as exc:  # disk full, name too long: the file asked for (never the temporary) and what to do
        fail(str(exc), as_json)
        return 1
    except OSError as exc:
        fail(f"{exc.strerror or exc}: {exc.filename or ''}".strip(": "), as_json)
        return 1
    except sqlite3.DatabaseError as exc:  # in use, disk full, read-only or damaged: one line, what to do
        from dermadesk.config import REGISTER_FILE, resolve_data_dir
        from dermadesk.storage.db import explain_db_error

        fail(explain_db_error(exc, resolve_data_dir(getattr(args, "data_dir", None)) / REGISTER_FILE), as_json)
        return 1

