"""`lmsops deploy`: ship a backend image to an ECS service and watch the rollout."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from lmsops import environment, roots
from lmsops.deploy import (
    diagnostics,
    ecs,
    flow,
    interrupts,
    preflight,
    render,
    rollback,
    status,
)
from lmsops.errors import UserError

ENVIRONMENTS = ("dev", "prod")
OUTPUT_NAMES = {"cluster": "cluster_name", "service": "service_name", "container": "container_name"}

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


def add_parser(subparsers) -> argparse.ArgumentParser:
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
    target.add_argument("--env", choices=ENVIRONMENTS, help="read live/<env>/backend outputs")
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
            print_refusal(UserError(message), _known_target(args))
        args.parser.error(message)
    known = {**_known_target(args), "image": args.image, "dry_run": args.dry_run}
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
            return _print_early_interrupt(request, interrupt, args.output)
    print_result(result, args.output)
    return result.exit_code


def make_preflight(image: render.ImageRef, allow_external_image: bool):
    """The pre-flight hook: every check of lmsops.deploy.preflight, before anything is written."""
    clients = preflight.Clients.from_session(ecs.make_session())

    def check(service: dict, rendered: dict, container: str, current_image: str | None) -> None:
        preflight.verify(
            clients,
            service,
            rendered,
            image,
            current_image=current_image,
            allow_external_image=allow_external_image,
        )

    return check


def make_rollback_preflight(allow_external_image: bool, ecr=None):
    """Before a rollback updates the service: the images its target brings back are in ECR."""
    ecr = ecr or ecs.make_session().client("ecr")

    def check(service: dict, current, target) -> None:
        preflight.verify_rollback(
            ecr,
            service,
            current.definition,
            target.definition,
            allow_external_image=allow_external_image,
        )

    return check


def make_cloudwatch():
    return ecs.make_session().client("cloudwatch")


def make_diagnose(client):
    """Why a deployment failed: its stopped tasks and the service events since the start."""
    since = dt.datetime.now(dt.UTC)

    def why(cluster: str, service: str, deployment_id: str | None, revision: str | None):
        found = diagnostics.diagnose(
            client,
            cluster,
            service,
            deployment_id=deployment_id,
            task_definition_arn=revision,
            since=since,
        )
        return found.lines()

    return why


def _print_early_interrupt(
    request: flow.DeployRequest, interrupt: BaseException, output: str
) -> int:
    """Interrupted before anything was registered: say so, in the format asked for."""
    signal_text = interrupts.signal_name(interrupt)
    report = {
        "outcome": flow.INTERRUPTED,
        "signal": signal_text,
        "cluster": request.cluster,
        "service": request.service,
        "state": "nothing registered, service not updated",
        "exit_code": interrupts.exit_code(signal_text),
    }
    if output == "json":
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(f"interrupted ({signal_text}) before anything was registered: nothing changed")
    return report["exit_code"]


@contextlib.contextmanager
def refusals_as_json(output: str, known: dict) -> Iterator[None]:
    """With --output json a refusal still prints one JSON object on stdout.

    The UserError goes on to lmsops.cli.main, which prints the message on stderr and
    exits with its status (2), as for text output.
    """
    try:
        yield
    except UserError as refusal:
        if output == "json":
            print_refusal(refusal, known)
        raise


def print_refusal(refusal: UserError, known: dict) -> None:
    fields = {key: value for key, value in known.items() if value is not None}
    report = {**fields, "outcome": flow.REFUSED, "exit_code": refusal.exit_code}
    report["reason"] = str(refusal)
    print(json.dumps(report, indent=2, sort_keys=True))


def _known_target(args: argparse.Namespace) -> dict:
    return {"env": args.env, "cluster": args.cluster, "service": args.service}


def status_command(args: argparse.Namespace) -> int:
    known = _known_target(args)
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
    known = {**_known_target(args), "to": args.to}
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


def target_flags(args: argparse.Namespace, cluster: str, service: str) -> str:
    """The options that name this service again in a suggested command."""
    if args.env and not (args.cluster or args.service):
        return f"--env {args.env}"
    return f"--cluster {cluster} --service {service}"


def resolve_target(args: argparse.Namespace) -> tuple[str, str, str | None]:
    """Cluster, service and container from explicit flags, else the env's live outputs."""
    container = getattr(args, "container", None)  # only deploy itself has --container
    explicit = {"cluster": args.cluster, "service": args.service, "container": container}
    if args.env is None:
        if not (args.cluster and args.service):
            raise UserError("give --env, or both --cluster and --service")
        return args.cluster, args.service, container
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
        print(f"\nstarts from {result.source_task_definition}: {result.source_reason}")
        print(f"dry run: nothing registered; the service runs {result.previous_task_definition}")
        return
    headline = f"{result.outcome}: {result.service} on {result.cluster}"
    if result.signal:
        headline = f"{result.outcome} ({result.signal}): {result.service} on {result.cluster}"
    print(headline)
    print(f"  image      {result.image}")
    print(f"  previous   {result.previous_task_definition}")
    print(f"  new        {result.new_task_definition}")
    print(f"  from       {result.source_task_definition}")
    if result.deployment_id:
        print(f"  deployment {result.deployment_id}")
    if result.rollback_deployment_id:
        print(f"  rollback   {result.rollback_deployment_id}")
    if result.state:
        print(f"  state      {result.state}")
    print(f"  duration   {result.duration_seconds:.1f} s")
    if result.reason and result.exit_code:
        print(f"  reason     {result.reason}")
        for line in result.alarms:
            print(f"  alarm      {line}")
        for line in result.diagnostics:
            print(f"  why        {line}")
        if not result.diagnostics:  # the diagnosis lists the events itself
            for event in result.events:
                print(f"  event      {event}")
    for arn in result.deregistered:
        print(f"  deregistered {arn}")
    for step in result.next_steps:
        print(f"  next       {step}")


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
