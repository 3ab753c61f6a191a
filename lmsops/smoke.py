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
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from lmsops import environment, roots
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


CheckFunction = Callable[[dict], list[Check]]

# Component name (live/<env>/<component>) -> its smoke check function.
TARGETS: dict[str, CheckFunction] = {
    "backend": smoke_backend,
}


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "smoke",
        help="check a deployed component by following its wiring (ALB, ECS, DNS, ...)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("component", choices=sorted(TARGETS), help="what to check")
    parser.add_argument("--env", default="dev", choices=environment.ENVIRONMENTS)
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--outputs-json",
        type=Path,
        help="read the outputs from this file (`terraform output -json` format or name: value)",
    )
    source.add_argument(
        "--tf-data-dir", type=Path, help="TF_DATA_DIR the live root was initialised with"
    )
    parser.add_argument(
        "--repo",
        type=Path,
        default=roots.REPO_ROOT,
        help="repository holding live/ (default: %(default)s)",
    )
    parser.add_argument("--output", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.outputs_json is not None:
        outputs = read_outputs_file(args.outputs_json)
    else:
        outputs = live_outputs(args.repo, args.env, args.component, args.tf_data_dir)
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


def live_outputs(repo: Path, env_name: str, component: str, data_dir: Path | None) -> dict:
    path = Path(repo) / "live" / env_name / component
    if not path.is_dir():
        raise UserError(f"{path} does not exist; pass --repo or --outputs-json")
    try:
        outputs = roots.Root(path, data_dir=data_dir).outputs()
    except UserError as exc:  # includes TerraformError: not initialised, no state, ...
        reason = terraform_error_summary(getattr(exc, "output", "")) or str(exc)
        raise UserError(
            f"cannot read the outputs of {path}: initialise it with the backend config "
            f"(or pass --tf-data-dir / --outputs-json): {reason}"
        ) from exc
    if not outputs:
        raise UserError(f"{path} has no outputs: apply it first")
    return outputs


def terraform_error_summary(output: str) -> str:
    """The first `Error: ...` sentence of Terraform's output, without colours or frames."""
    plain = " ".join(re.sub(r"\x1b\[[0-9;]*m|[│╵╷]", " ", output).split())
    start = plain.find("Error:")
    return plain[start : start + 200] if start >= 0 else plain[-200:]


def render(checks: list[Check], output: str = "text") -> str:
    if output == "json":
        return json.dumps([asdict(check) for check in checks], indent=2)
    lines = [f"{'PASS' if c.ok else 'FAIL'}  {c.name}: {c.detail}" for c in checks]
    failed = sum(not c.ok for c in checks)
    lines.append(f"{len(checks) - failed} passed, {failed} failed")
    return "\n".join(lines)
