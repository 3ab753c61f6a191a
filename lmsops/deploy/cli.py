"""`lmsops deploy`: ship a backend image to an ECS service and watch the rollout."""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

from lmsops import environment, roots
from lmsops.annotations import SubParsers
from lmsops.deploy import (
    ecs,
    flow,
    interrupts,
    render,
    rollback,
    status,
)
from lmsops.deploy.hooks import (
    make_cloudwatch,
    make_diagnose,
    make_preflight,
    make_rollback_preflight,
)
from lmsops.deploy.report import (
    print_early_interrupt,
    print_refusal,
    print_result,
    refusals_as_json,
)
from lmsops.deploy.target import known_target, resolve_target, target_flags
from lmsops.errors import UserError

EPILOG = """\
verbs (the default is to deploy; give a verb first, before its options):
  lmsops deploy [--env E | --cluster C --service S] --image <uri>   deploy an image
  lmsops deploy status   [--env E | --cluster C --service S] [--wait]
  lmsops deploy rollback [--env E | --cluster C --service S] [--to REVISION]

examples:
  lmsops deploy --env dev --image 123456789012.dkr.ecr.us-east-1.amazonaws.com/lms:3f2a9c1
  lmsops deploy --cluster lms-dev --service lms-dev --image repo/lms@sha256:<64 hex> --dry-run
  lmsops deploy --env prod --image <uri>:<tag> --run-before "bin/migrate" --keep 10 --output json
  lmsops deploy --env prod --image <uri>:<tag> --bake 300
  lmsops deploy status --env dev --wait
  lmsops deploy rollback --env dev --to 41

which revision a deploy starts from: the one the service runs (its deployment completed),
or Terraform's revision when Terraform registered a newer one (the running image and
--env-var values carry over). A revision that never completed a deployment (failed,
rolled back, interrupted, only used by --run-before) is never built on.

exit status: 0 deployed (or dry run), 1 deploy failed (rolled back when possible: by the
circuit breaker, a deployment alarm, a timeout or a --bake alarm) or was superseded by
another deployment, 2 refused (user error, preflight problem, a deployment
already in progress), 130/143 interrupted by SIGINT/SIGTERM (the report says where the
deployment is and the commands to follow it or roll it back).
"""


USAGE = """
  lmsops deploy   (--env ENV | --cluster C --service S) --image IMAGE [options]
  lmsops deploy status   (--env ENV | --cluster C --service S) [--wait] [--output json]
  lmsops deploy rollback (--env ENV | --cluster C --service S) [--to REVISION] [--output json]"""


def add_parser(subparsers: SubParsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "deploy",
        help="deploy a backend image (new revision, rolling update, watch); status; rollback",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_target_options(with_container=True)],
        usage=USAGE,
    )
    parser.add_argument(
        "--image", help="new image: <registry>/<repo>:<tag> or ...@sha256:<digest> (required)"
    )
    parser.add_argument(
        "--env-var",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set an environment variable of the container (repeatable; later deploys keep it)",
    )
    parser.add_argument(
        "--from-running",
        action="store_true",
        help="start from the revision the service runs even if Terraform registered a newer one",
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
        help="after success, deregister revisions older than the newest N (never Terraform's, "
        "the running one or the rollback target)",
    )
    parser.add_argument(
        "--bake",
        type=_positive_float,
        metavar="SECONDS",
        help="after COMPLETED, keep watching the service's deployment alarms this long and "
        "roll back if one fires",
    )
    parser.add_argument(
        "--allow-external-image",
        action="store_true",
        help="accept an image outside the service's own ECR repository (not checked to exist)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="run the pre-flight checks and print the task definition diff; change nothing",
    )
    _add_watch_options(parser, "seconds to wait for the rollout (and again for a rollback)")
    parser.set_defaults(func=command, parser=parser)
    verbs = parser.add_subparsers(dest="verb", metavar="{status,rollback}")
    status_parser = verbs.add_parser(
        "status",
        prog=f"{parser.prog} status",
        help="the service's deployments, running revision and recent events",
        description="Show the service's deployments, the revision it runs and recent events; "
        "with --wait, follow the deployment in progress until it settles (exit 0 when it "
        "COMPLETED, 1 otherwise).",
        parents=[_target_options()],
    )
    status_parser.add_argument(
        "--wait", action="store_true", help="follow the deployment in progress until it settles"
    )
    _add_watch_options(
        status_parser, "seconds --wait follows the deployment", "seconds between polls of --wait"
    )
    status_parser.set_defaults(func=status_command)
    rollback_parser = verbs.add_parser(
        "rollback",
        prog=f"{parser.prog} rollback",
        help="put the service back on an earlier revision and follow that deployment",
        description="Update the service to an earlier revision (default: the one it ran "
        "before the current deploy, recorded by `lmsops deploy`) and follow the deployment "
        "until it settles. Works while a deployment is in progress (e.g. after an "
        "interrupted deploy). Registers nothing.",
        parents=[_target_options()],
    )
    rollback_parser.add_argument(
        "--to",
        metavar="REVISION",
        help="revision ARN, family:revision or revision number (default: the recorded previous)",
    )
    rollback_parser.add_argument(
        "--allow-external-image",
        action="store_true",
        help="accept target images outside the service's own ECR repository (not checked)",
    )
    _add_watch_options(rollback_parser, "seconds to wait for the rollback deployment")
    rollback_parser.set_defaults(func=rollback_command)
    return parser


def _target_options(with_container: bool = False) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    target = parent.add_argument_group("target (an environment's outputs, or explicit names)")
    target.add_argument(
        "--env", choices=environment.ENVIRONMENTS, help="read live/<env>/backend outputs"
    )
    target.add_argument("--cluster", help="ECS cluster name or ARN (overrides the output)")
    target.add_argument("--service", help="ECS service name or ARN (overrides the output)")
    if with_container:
        target.add_argument(
            "--container", help="container whose image changes (default: output or the only one)"
        )
    target.add_argument(
        "--repo",
        type=Path,
        default=roots.REPO_ROOT,
        help=_repo_help(),
    )
    target.add_argument(
        "--tf-data-dir", type=Path, help="TF_DATA_DIR the live root was initialised with"
    )
    return parent


def _repo_help() -> str:
    """--repo's default as live_outputs applies it (environment.default_checkout)."""
    text = (
        f"repository holding live/ (default: ${environment.CHECKOUT_ENV}, the emulator's "
        f"checkout, when the emulator env is loaded, else {roots.REPO_ROOT}; here: "
        f"{environment.default_checkout()})"
    )
    return text.replace("%", "%%")  # argparse formats help with %


def _add_watch_options(
    parser: argparse.ArgumentParser, timeout_help: str, poll_help: str = "seconds between polls"
) -> None:
    parser.add_argument(
        "--output",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json: one JSON object on stdout for CI",
    )
    parser.add_argument(
        "--poll-interval",
        type=_positive_float,
        default=10.0,
        help=f"{poll_help} (default: %(default)g)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=900.0,
        help=f"{timeout_help} (default: %(default)g)",
    )


def command(args: argparse.Namespace) -> int:
    if not args.image:
        message = "--image is required to deploy (or give a verb: status, rollback)"
        if args.output == "json":
            print_refusal(UserError(message), known_target(args))
        args.parser.error(message)
    known = {**known_target(args), "image": args.image, "dry_run": args.dry_run}
    with refusals_as_json(args.output, known):
        return _deploy(args, known)


def _deploy(args: argparse.Namespace, known: dict) -> int:
    image = render.parse_image(args.image)
    env_vars = render.parse_env_vars(args.env_var)
    cluster, service, container = resolve_target(args)
    known.update(cluster=cluster, service=service, container=container)
    request = flow.DeployRequest(
        cluster=cluster,
        service=service,
        image=image.text,
        container=container,
        env_vars=env_vars,
        from_running=args.from_running,
        run_before=args.run_before,
        keep=args.keep,
        dry_run=args.dry_run,
        poll_interval=args.poll_interval,
        timeout=args.timeout,
        bake=args.bake or 0.0,
    )
    with ecs.aws_errors(), interrupts.sigterm_raises():
        client = ecs.make_client()
        deployer = flow.Deployer(
            client,
            time.monotonic,
            time.sleep,
            _log,
            preflight=make_preflight(image, args.allow_external_image),
            diagnose=make_diagnose(client),
            cloudwatch=functools.cache(make_cloudwatch),
        )
        try:
            result = deployer.deploy(request)
        except KeyboardInterrupt as interrupt:
            return print_early_interrupt(request, interrupt, args.output)
    print_result(result, args.output)
    return result.exit_code


def status_command(args: argparse.Namespace) -> int:
    known = known_target(args)
    with refusals_as_json(args.output, known):
        return _status(args, known)


def _status(args: argparse.Namespace, known: dict) -> int:
    cluster, service, _ = resolve_target(args)
    known.update(cluster=cluster, service=service)
    with ecs.aws_errors(), interrupts.sigterm_raises():
        client = ecs.make_client()
        watcher = status.Status(
            client,
            time.monotonic,
            time.sleep,
            _log,
            diagnose=make_diagnose(client),
            target_flags=target_flags(args, cluster, service),
        )
        report = watcher.report(
            cluster,
            service,
            wait=args.wait,
            poll_interval=args.poll_interval,
            timeout=args.timeout,
        )
    status.print_report(report, args.output)
    return report.exit_code


def rollback_command(args: argparse.Namespace) -> int:
    known = {**known_target(args), "to": args.to}
    with refusals_as_json(args.output, known):
        return _rollback(args, known)


def _rollback(args: argparse.Namespace, known: dict) -> int:
    cluster, service, _ = resolve_target(args)
    known.update(cluster=cluster, service=service)
    with ecs.aws_errors(), interrupts.sigterm_raises():
        client = ecs.make_client()
        rollback_result = rollback.Rollback(
            client,
            time.monotonic,
            time.sleep,
            _log,
            target_flags(args, cluster, service),
            preflight=make_rollback_preflight(args.allow_external_image),
        ).run(cluster, service, to=args.to, poll_interval=args.poll_interval, timeout=args.timeout)
    rollback.print_result(rollback_result, args.output)
    return rollback_result.exit_code


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
