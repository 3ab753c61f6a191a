"""`lmsops deploy`: ship a backend image to an ECS service and watch the rollout."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from lmsops import environment, roots
from lmsops.deploy import ecs, flow, render
from lmsops.errors import UserError

ENVIRONMENTS = ("dev", "prod")
OUTPUT_NAMES = {"cluster": "cluster_name", "service": "service_name", "container": "container_name"}

EPILOG = """\
examples:
  lmsops deploy --env dev --image 123456789012.dkr.ecr.us-east-1.amazonaws.com/lms:3f2a9c1
  lmsops deploy --cluster lms-dev --service lms-dev --image repo/lms@sha256:<64 hex> --dry-run
  lmsops deploy --env prod --image <uri>:<tag> --run-before "bin/migrate" --keep 10 --output json

exit status: 0 deployed (or dry run), 1 deploy failed (rolled back when possible),
2 user error (unknown cluster/service/container, bad image reference, no credentials).
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "deploy",
        help="deploy a backend image: new task definition revision, rolling update, watch",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    target = parser.add_argument_group("target (an environment's outputs, or explicit names)")
    target.add_argument("--env", choices=ENVIRONMENTS, help="read live/<env>/backend outputs")
    target.add_argument("--cluster", help="ECS cluster name or ARN (overrides the output)")
    target.add_argument("--service", help="ECS service name or ARN (overrides the output)")
    target.add_argument(
        "--container", help="container whose image changes (default: output or the only one)"
    )
    target.add_argument(
        "--repo",
        type=Path,
        default=roots.REPO_ROOT,
        help="repository holding live/ (default: %(default)s)",
    )
    target.add_argument(
        "--tf-data-dir", type=Path, help="TF_DATA_DIR the live root was initialised with"
    )
    parser.add_argument(
        "--image", required=True, help="new image: <registry>/<repo>:<tag> or ...@sha256:<digest>"
    )
    parser.add_argument(
        "--env-var",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set an environment variable of the container (repeatable)",
    )
    parser.add_argument(
        "--from-running",
        action="store_true",
        help="clone the revision the service runs instead of the family's latest ACTIVE one",
    )
    parser.add_argument(
        "--run-before",
        metavar="COMMAND",
        help="run COMMAND as a one-off task on the new revision first; it must exit 0",
    )
    parser.add_argument(
        "--keep",
        type=_positive_int,
        metavar="N",
        help="after success, deregister revisions older than the newest N (never the previous)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the task definition diff, change nothing"
    )
    parser.add_argument("--output", choices=("text", "json"), default="text")
    parser.add_argument(
        "--poll-interval", type=_positive_float, default=10.0, help="seconds between polls"
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=900.0,
        help="seconds to wait for the rollout (and again for a rollback)",
    )
    parser.set_defaults(func=command)
    return parser


def command(args: argparse.Namespace) -> int:
    image = render.parse_image(args.image).text
    env_vars = render.parse_env_vars(args.env_var)
    cluster, service, container = resolve_target(args)
    request = flow.DeployRequest(
        cluster=cluster,
        service=service,
        image=image,
        container=container,
        env_vars=env_vars,
        from_running=args.from_running,
        run_before=args.run_before,
        keep=args.keep,
        dry_run=args.dry_run,
        poll_interval=args.poll_interval,
        timeout=args.timeout,
    )
    with ecs.aws_errors():
        deployer = flow.Deployer(ecs.make_client(), time.monotonic, time.sleep, _log)
        result = deployer.deploy(request)
    print_result(result, args.output)
    return result.exit_code


def resolve_target(args: argparse.Namespace) -> tuple[str, str, str | None]:
    """Cluster, service and container from explicit flags, else the env's live outputs."""
    explicit = {"cluster": args.cluster, "service": args.service, "container": args.container}
    if args.env is None:
        if not (args.cluster and args.service):
            raise UserError("give --env, or both --cluster and --service")
        return args.cluster, args.service, args.container
    outputs = live_outputs(args.repo, args.env, args.tf_data_dir)
    values = {key: explicit[key] or outputs.get(name) for key, name in OUTPUT_NAMES.items()}
    missing = [OUTPUT_NAMES[k] for k in ("cluster", "service") if not values[k]]
    if missing:
        raise UserError(
            f"live/{args.env}/backend has no output {', '.join(missing)}; apply it first "
            "or pass --cluster and --service"
        )
    return values["cluster"], values["service"], values["container"]


def live_outputs(repo: Path, env: str, data_dir: Path | None) -> dict:
    return environment.live_outputs(
        env, "backend", repo, data_dir, hint="pass --cluster and --service"
    )


def print_result(result: flow.DeployResult, output: str) -> None:
    if output == "json":
        print(json.dumps(result.as_dict(), indent=2, sort_keys=True))
        return
    if result.outcome == flow.DRY_RUN:
        print(result.diff or "no change: the rendered revision equals its source", end="")
        print(f"\ndry run: nothing registered; the service runs {result.previous_task_definition}")
        return
    print(f"{result.outcome}: {result.service} on {result.cluster}")
    print(f"  image     {result.image}")
    print(f"  previous  {result.previous_task_definition}")
    print(f"  new       {result.new_task_definition}")
    print(f"  duration  {result.duration_seconds:.1f} s")
    if result.reason and result.exit_code:
        print(f"  reason    {result.reason}")
        for event in result.events:
            print(f"  event     {event}")
    for arn in result.deregistered:
        print(f"  deregistered {arn}")


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value
