"""`lmsops emulator start|stop|status|env`: the local AWS emulator from a shell."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from lmsops import toolchain
from lmsops.emulator.server import Emulator, EmulatorInfo
from lmsops.errors import UserError


def default_state_dir() -> Path:
    return toolchain.cache_dir() / "emulator"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "emulator",
        help="start, stop or inspect the local AWS emulator (moto over HTTPS)",
        description=__doc__,
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="where the emulator keeps its state file, certificate and log "
        "(default: <repo>/.lmsops/emulator)",
    )
    actions = parser.add_subparsers(dest="emulator_action", required=True, metavar="ACTION")

    start = actions.add_parser("start", help="start the emulator (or reuse the running one)")
    start.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: free)")
    start.set_defaults(func=start_command)

    stop = actions.add_parser("stop", help="stop the emulator")
    stop.set_defaults(func=stop_command)

    status = actions.add_parser(
        "status", help="show the running emulator; exits non-zero when none runs"
    )
    status.set_defaults(func=status_command)

    env = actions.add_parser("env", help='print export lines: eval "$(lmsops emulator env)"')
    env.set_defaults(func=env_command)


def emulator_for(args: argparse.Namespace) -> Emulator:
    return Emulator(args.state_dir or default_state_dir())


def running_or_error(emulator: Emulator) -> EmulatorInfo:
    info = emulator.status()
    if info is None:
        raise UserError(
            f"no emulator is running from {emulator.state_dir}; "
            "start it with `lmsops emulator start`"
        )
    return info


def start_command(args: argparse.Namespace) -> int:
    if args.port is not None and not 0 < args.port < 65536:
        raise UserError(f"--port must be between 1 and 65535, got {args.port}")
    emulator = emulator_for(args)
    info = emulator.start(port=args.port)
    print(f"emulator running: {info.endpoint} (pid {info.pid})")
    print(f"CA bundle: {info.ca_bundle}")
    print('Point AWS tools and Terraform at it with:  eval "$(lmsops emulator env)"')
    return 0


def stop_command(args: argparse.Namespace) -> int:
    emulator = emulator_for(args)
    if emulator.stop():
        print("emulator stopped")
    else:
        print(f"no emulator was running from {emulator.state_dir}")
    return 0


def status_command(args: argparse.Namespace) -> int:
    info = running_or_error(emulator_for(args))
    print(f"running: {info.endpoint} (pid {info.pid}), CA bundle {info.ca_bundle}")
    return 0


def env_command(args: argparse.Namespace) -> int:
    print(render_exports(running_or_error(emulator_for(args)).env()))
    return 0


def render_exports(env: dict[str, str]) -> str:
    """Shell lines for eval: export each value; unset what must not apply (empty)."""
    lines = []
    for name, value in env.items():
        if value:
            lines.append(f"export {name}={shlex.quote(value)}")
        else:
            lines.append(f"unset {name}")
    return "\n".join(lines)
