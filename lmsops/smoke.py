"""`lmsops smoke <component> --env <env>`: check a deployed component by following its wiring.

Each component has a function `outputs -> list[Check]` that reads the real
resources with boto3 (AWS, or the emulator through the standard AWS_*
environment) starting from the live root's Terraform outputs. The functions
work on their own, outside pytest and outside this command.

A new component registers itself in `TARGETS` (name -> check function); the
command then accepts it as `lmsops smoke <name>`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from lmsops import environment
from lmsops.errors import UserError


@dataclass(frozen=True)
class Check:
    """One link of the wiring: what was checked, whether it holds, and what was seen."""

    name: str
    ok: bool
    detail: str = ""


def smoke_backend(outputs: dict, session=None) -> list[Check]:
    """Smoke checks of live/<env>/backend from its outputs (see lmsops.smoke_backend)."""
    from lmsops.smoke_backend import check_backend

    return check_backend(outputs, session)


def smoke_frontend(outputs: dict, session=None) -> list[Check]:
    """Smoke checks of live/<env>/frontend from its outputs (see lmsops.smoke_frontend)."""
    from lmsops.smoke_frontend import check_frontend

    return check_frontend(outputs, session)


CheckFunction = Callable[[dict], list[Check]]

# Component name (live/<env>/<component>) -> its smoke check function.
TARGETS: dict[str, CheckFunction] = {
    "backend": smoke_backend,
    "frontend": smoke_frontend,
}


DESCRIPTION = """Check a deployed component by following its wiring, link by link, and
report each link PASS or FAIL (exit 1 when any fails).

  backend   listener -> target group -> ECS service, security groups, certificate,
            scaling policy, ECR repository, logs
  frontend  website bucket, its policy, anonymous reads of the index page

Names come from the live root's Terraform outputs (live/<env>/<component>), on
AWS or, after `eval "$(lmsops emulator env)"`, on the local emulator."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "smoke",
        help="check a deployed component by following its wiring (ALB, ECS, DNS, ...)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("component", choices=sorted(TARGETS), help="what to check")
    parser.add_argument(
        "--env",
        default="dev",
        choices=environment.ENVIRONMENTS,
        help="environment whose live root to check (default: %(default)s)",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--outputs-json",
        type=Path,
        help="read the outputs from this file (`terraform output -json` format or name: value)",
    )
    source.add_argument(
        "--tf-data-dir",
        type=Path,
        help="TF_DATA_DIR the live root was initialised with, if not its own .terraform/",
    )
    parser.add_argument(
        "--repo",
        type=Path,
        default=None,
        help="checkout holding live/ (default: the emulator's checkout once its environment "
        "is loaded, else this repository)",
    )
    parser.add_argument(
        "--output",
        choices=("text", "json"),
        default="text",
        help="text for people, json for CI (default: %(default)s)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.outputs_json is not None:
        outputs = read_outputs_file(args.outputs_json)
    else:
        outputs = environment.live_outputs(
            args.env,
            args.component,
            args.repo,
            args.tf_data_dir,
            hint="pass --tf-data-dir or --outputs-json",
        )
    checks = TARGETS[args.component](outputs)
    print(render(checks, args.output))
    return 0 if checks and all(check.ok for check in checks) else 1


def read_outputs_file(path: Path) -> dict:
    """Outputs from a file: `terraform output -json` ({name: {value: ...}}) or {name: value}."""
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise UserError(f"{path} does not exist") from exc
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise UserError(f"{path} must hold a JSON object of outputs")
    return {
        name: item["value"] if isinstance(item, dict) and "value" in item else item
        for name, item in raw.items()
    }


def render(checks: list[Check], output: str = "text") -> str:
    if output == "json":
        return json.dumps([asdict(check) for check in checks], indent=2)
    lines = [f"{'PASS' if c.ok else 'FAIL'}  {c.name}: {c.detail}" for c in checks]
    failed = sum(not c.ok for c in checks)
    lines.append(f"{len(checks) - failed} passed, {failed} failed")
    return "\n".join(lines)
