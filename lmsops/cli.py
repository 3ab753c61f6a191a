"""`lmsops`: one command line for the emulator, environments, smoke checks, publish, deploy."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys

from lmsops import preflight_env
from lmsops.errors import UserError

# Each module exposes add_parser(subparsers) and sets `func` on its parser.
COMMAND_MODULES: tuple[str, ...] = (
    "lmsops.emulator.commands",
    "lmsops.up",
    "lmsops.validate",
    "lmsops.publish",
    "lmsops.deploy",
    "lmsops.smoke",
)
# Commands that call AWS: their first AWS call first checks AWS can be reached (fast).
NEEDS_AWS = frozenset({"smoke", "publish", "deploy"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lmsops", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    guard = preflight_env.guarding() if args.command in NEEDS_AWS else contextlib.nullcontext()
    try:
        with guard:
            return int(args.func(args) or 0)
    except UserError as exc:
        print(f"lmsops: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lmsops: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return quiet_broken_pipe()


# 128 + SIGPIPE: what a command killed by a closed pipe exits with in a shell.
BROKEN_PIPE_EXIT = 141


def quiet_broken_pipe() -> int:
    """The reader of stdout went away (e.g. `| head`): stop quietly, as shell tools do.

    Python's advice: point stdout at devnull so flushing it at exit does not
    raise a second BrokenPipeError.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return BROKEN_PIPE_EXIT


if __name__ == "__main__":
    sys.exit(main())
