"""The local AWS emulator (moto over HTTPS on 127.0.0.1, port 5443 unless configured).

`start` it (or let `lmsops up` do it), `eval "$(lmsops emulator env)"` to point a
shell's AWS tools, Terraform and lmsops at it, `stop` it: it keeps everything in
memory, so stopping it discards every resource applied to it.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from pathlib import Path

import boto3

from lmsops import environment, paths, toolchain
from lmsops.emulator.images import push_image
from lmsops.emulator.server import Emulator, EmulatorInfo
from lmsops.errors import UserError
from lmsops.preflight_env import make_command

# One fixed port, so a shell that loaded the environment still reaches a restarted
# emulator. Tests and benchmarks pass no port: they get a free one each.
DEFAULT_PORT = 5443
PORT_ENV = "LMSOPS_EMULATOR_PORT"


def discarded() -> str:
    return (
        "everything it held is discarded (state bucket, lock table, hosted zone, every "
        f"resource applied to it); `{make_command('up')}` builds it all again"
    )


def default_port() -> int:
    """LMSOPS_EMULATOR_PORT, else DEFAULT_PORT."""
    configured = os.environ.get(PORT_ENV)
    if not configured:
        return DEFAULT_PORT
    if not configured.isdigit() or not 0 < int(configured) < 65536:
        raise UserError(f"{PORT_ENV}={configured} is not a port: give a number from 1 to 65535")
    return int(configured)


def add_port_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help=f"port on 127.0.0.1 for a new emulator (default: ${PORT_ENV}, else {DEFAULT_PORT})",
    )


def start_or_reuse(emulator: Emulator, port: int | None) -> tuple[EmulatorInfo, bool]:
    """The running emulator, or a new one on PORT (default_port() when None).

    Returns (info, started): started is True for a new, empty emulator.
    """
    if port is not None and not 0 < port < 65536:
        raise UserError(f"--port must be between 1 and 65535, got {port}")
    running = emulator.status()
    if running is not None and (port is None or port == running.port):
        return running, False
    info = emulator.start(port=port or default_port())
    forget_checkout_state(emulator)
    return info, True


def forget_checkout_state(emulator: Emulator) -> None:
    """The default emulator's checkout records resources of the emulator that just ended."""
    if emulator.state_dir.resolve() == paths.emulator_state_dir().resolve():
        environment.forget_emulator_state(environment.emulator_checkout())


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

    start = actions.add_parser(
        "start",
        help="start the emulator (or reuse the running one)",
        description="Start the local AWS emulator on 127.0.0.1, or reuse the one already "
        "running. A new emulator is empty: it holds no state bucket and no environment; "
        f"`{make_command('up')}` starts it and applies everything.",
    )
    add_port_argument(start)
    start.set_defaults(func=start_command)

    stop = actions.add_parser(
        "stop",
        help="stop the emulator; everything applied to it is discarded",
        description="Stop the local AWS emulator. It keeps everything in memory, so stopping "
        "it DISCARDS EVERYTHING it holds: state bucket, lock table, hosted zone and every "
        f"resource applied to it. `{make_command('up')}` builds it all again.",
    )
    stop.set_defaults(func=stop_command)

    status = actions.add_parser(
        "status",
        help="show the running emulator; exits non-zero when none runs",
        description="Show the running emulator: its endpoint, process id and CA bundle. "
        "Exits 2 when none runs.",
    )
    status.set_defaults(func=status_command)

    env = actions.add_parser(
        "env",
        help='point this shell at the emulator: eval "$(lmsops emulator env)" '
        "(AWS variables, terraform's provider mirror, lmsops on PATH)",
        description="Print shell exports that point AWS tools, Terraform and lmsops at the "
        "running emulator: the AWS variables, Terraform's provider mirror, the emulator's "
        'checkout ($LMSOPS_EMULATOR_CHECKOUT) and lmsops on PATH. Use: eval "$(lmsops '
        'emulator env)"',
    )
    env.set_defaults(func=env_command)

    push = actions.add_parser(
        "push-image",
        help="make an image tag exist in the emulator's ECR, so `lmsops deploy` can ship it "
        "(there is no Docker here: the image is a placeholder manifest)",
        description="Make an image tag exist in the emulator's own ECR, so `lmsops deploy` "
        "can ship it. There is no Docker here: the image is a placeholder manifest, and only "
        f"{ECR_IMAGE_FORM} references of the emulator's ECR can be pushed.",
    )
    push.add_argument(
        "image",
        help="<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>, "
        "e.g. the ecr_repository_url output of live/dev/backend plus a tag",
    )
    push.set_defaults(func=push_image_command)


def emulator_for(args: argparse.Namespace) -> Emulator:
    return Emulator(args.state_dir or paths.emulator_state_dir())


def running_or_error(emulator: Emulator) -> EmulatorInfo:
    info = emulator.status()
    if info is None:
        raise UserError(
            f"no emulator is running from {emulator.state_dir}. To have the environment on it, "
            f"start it and apply everything with:\n  {make_command('up')}\n"
            "(`lmsops emulator start` alone gives an empty emulator: it holds nothing, "
            "no state bucket, no environment)"
        )
    return info


def start_command(args: argparse.Namespace) -> int:
    info, started = start_or_reuse(emulator_for(args), args.port)
    state = "started, empty" if started else "already running"
    print(f"emulator {state}: {info.endpoint} (pid {info.pid})")
    print(f"CA bundle: {info.ca_bundle}")
    print('Point AWS tools and Terraform at it with:  eval "$(lmsops emulator env)"')
    return 0


def stop_command(args: argparse.Namespace) -> int:
    emulator = emulator_for(args)
    stopped = emulator.stop()
    forget_checkout_state(emulator)
    if stopped:
        print(f"emulator stopped: {discarded()}")
    else:
        print(f"no emulator was running from {emulator.state_dir}")
    return 0


def status_command(args: argparse.Namespace) -> int:
    info = running_or_error(emulator_for(args))
    print(f"running: {info.endpoint} (pid {info.pid}), CA bundle {info.ca_bundle}")
    return 0


def env_command(args: argparse.Namespace) -> int:
    print(render_exports(shell_env(running_or_error(emulator_for(args)))))
    return 0


def push_image_command(args: argparse.Namespace) -> int:
    repository, tag = emulator_ecr_image(args.image)
    info = running_or_error(emulator_for(args))
    session = boto3.session.Session()
    ecr = session.client("ecr", endpoint_url=info.endpoint, verify=info.ca_bundle, **_keys(info))
    try:
        digest = push_image(ecr, repository, tag)
    except ecr.exceptions.RepositoryNotFoundException as exc:
        raise UserError(
            f"the emulator has no ECR repository {repository!r}; "
            f"apply live/<env>/backend first (`{make_command('up')}`) or check the image name"
        ) from exc
    print(f"{args.image} is in the emulator's ECR ({digest})")
    print(f"ship it with:  lmsops deploy --env <env> --image {args.image}")
    return 0


ECR_IMAGE_FORM = "<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>"
ECR_IMAGE = re.compile(
    r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/(?P<repository>[a-z0-9][a-z0-9._/-]*)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?$"
)
EXAMPLE_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:v2"


def emulator_ecr_image(text: str) -> tuple[str, str]:
    """(repository, tag) of an image in the emulator's own ECR, or a UserError saying why not."""
    last = text.rsplit("/", 1)[-1]
    if ":" not in last or "@" in text:
        raise UserError(
            f"push-image needs a tag: {text!r} names none. Give {ECR_IMAGE_FORM}, "
            f"e.g. {EXAMPLE_IMAGE} (the ecr_repository_url output of live/<env>/backend "
            "plus a tag)"
        )
    match = ECR_IMAGE.match(text)
    if not match:
        raise UserError(
            f"push-image only pushes to the emulator's own ECR, {ECR_IMAGE_FORM}; "
            f"{text!r} is not there (it cannot fetch images from other registries). "
            f"e.g. {EXAMPLE_IMAGE}"
        )
    return match["repository"], match["tag"]


def _keys(info: EmulatorInfo) -> dict[str, str]:
    env = info.env()
    return {
        "aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
        "region_name": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
    }


def shell_env(info: EmulatorInfo) -> dict[str, str]:
    """Everything a shell needs to work on the emulator as the README's real-AWS steps do.

    The AWS variables, Terraform's CLI config (provider mirror, plugin cache),
    the emulator's checkout (`cd "$LMSOPS_EMULATOR_CHECKOUT"`: its bootstrap
    state and backend.s3.tfbackend are the emulator's own) and this
    environment's bin folder first on PATH, so `lmsops` works bare.
    """
    env = info.env()
    env["TF_CLI_CONFIG_FILE"] = str(toolchain.write_cli_config())
    env[environment.CHECKOUT_ENV] = str(environment.emulator_checkout())
    env["PATH"] = path_with(Path(sys.executable).parent)
    return env


def path_with(folder: Path) -> str:
    """PATH with FOLDER first (once)."""
    parts = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != str(folder)]
    return os.pathsep.join([str(folder), *parts])


def render_exports(env: dict[str, str]) -> str:
    """Shell lines for eval: export each value; unset what must not apply (empty)."""
    lines = []
    for name, value in env.items():
        if value:
            lines.append(f"export {name}={shlex.quote(value)}")
        else:
            lines.append(f"unset {name}")
    return "\n".join(lines)
