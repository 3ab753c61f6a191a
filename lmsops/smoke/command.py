"""`lmsops smoke <component> --env <env>`: the command line over the check functions.

A new component registers itself in `TARGETS` (name -> check function); the
command then accepts it as `lmsops smoke <name>`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from lmsops import environment
from lmsops.annotations import SubParsers
from lmsops.smoke.backend import check_backend
from lmsops.smoke.checks import Check, render
from lmsops.smoke.frontend import check_frontend

CheckFunction = Callable[[dict], list[Check]]

# Component name (live/<env>/<component>) -> its smoke check function.
TARGETS: dict[str, CheckFunction] = {
    "backend": check_backend,
    "frontend": check_frontend,
}


DESCRIPTION = """Check a deployed component by following its wiring, link by link, and
report each link PASS or FAIL (exit 1 when any fails).

  backend   listener -> target group -> ECS service, security groups, certificate,
            scaling policy, ECR repository, logs
  frontend  website bucket, its policy, anonymous reads of the index page

Names come from the live root's Terraform outputs (live/<env>/<component>), on
AWS or, after `eval "$(lmsops emulator env)"`, on the local emulator."""


def add_parser(subparsers: SubParsers) -> None:
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
        outputs = environment.read_outputs_file(args.outputs_json)
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
