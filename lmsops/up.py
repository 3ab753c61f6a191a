"""`lmsops up`: start the local emulator and bring an environment up on it.

Works in the emulator's own checkout (a copy of modules/, live/, bootstrap/ and
site/ under .lmsops/emulator/checkout): state files, `.terraform/` folders and
backend config files in your repository (your work against real AWS) are never
read or written. Bootstraps remote state there exactly as the README's steps
do, applies the environment's live roots side by side, publishes the sample
site and says what can be opened locally. Running it again is idempotent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from lmsops import environment, publish, roots, toolchain
from lmsops.annotations import SubParsers
from lmsops.emulator import Emulator, EmulatorInfo
from lmsops.emulator.commands import add_port_argument, start_or_reuse
from lmsops.emulator.server import LOG_FILE
from lmsops.errors import UserError
from lmsops.preflight_env import load_env_command, make_command
from lmsops.terraform_progress import Reporter, new_log_file


class StepFailed(UserError):
    """A step of `up` failed: what failed, Terraform's whole error, the log, the emulator."""

    exit_code = 1


def add_parser(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "up",
        help="start the local emulator and apply an environment on it; print its endpoints",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--env",
        default="dev",
        choices=environment.ENVIRONMENTS,
        help="environment to apply (default: %(default)s)",
    )
    parser.add_argument(
        "--component",
        action="append",
        choices=environment.COMPONENTS,
        help="apply only these components (default: every component of the environment)",
    )
    parser.add_argument(
        "--no-publish", action="store_true", help="do not publish the sample site to the frontend"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show Terraform's own output instead of progress"
    )
    add_port_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    reporter = Reporter(new_log_file(toolchain.cache_dir() / "logs", "up"), verbose=args.verbose)
    emulator = Emulator(environment.emulator_dir())
    info, started = start_or_reuse(emulator, args.port)
    os.environ.update(info.env())
    checkout = environment.emulator_checkout()
    os.environ[environment.CHECKOUT_ENV] = str(checkout)
    state = "started, empty" if started else "already running, reused"
    reporter.say(f"lmsops up: emulator {state}: {info.endpoint}")
    reporter.say(f"lmsops up: log of this run: {reporter.log_file}")
    roots.sync_checkout(checkout)
    step = "bootstrap"
    try:
        boot = environment.bootstrap_checkout(checkout, reporter)
        reporter.say(f"lmsops up: bootstrap done; backend config in {boot.backend_config}")
        components = args.component or environment.COMPONENTS
        step = " and ".join(f"live/{args.env}/{component}" for component in components)
        results = apply_components(checkout, args.env, components, boot.backend_config, reporter)
        if "frontend" in results and not args.no_publish:
            step = "publish the sample site"
            publish_sample_site(checkout / "site", results["frontend"], reporter)
    except UserError as exc:
        if isinstance(exc, environment.LiveApplyFailed):
            step = " and ".join(exc.failures)  # the others were applied
        still_running = emulator.status() is not None
        raise StepFailed(failure_report(step, exc, reporter.log_file, info, still_running)) from exc
    print(json.dumps({"environment": args.env, "outputs": results}, indent=2, sort_keys=True))
    print(local_guide(info, checkout, results, args.env))
    return 0


def apply_components(
    checkout: Path,
    env_name: str,
    components: Sequence[str],
    backend_config: Path,
    reporter: Reporter,
) -> dict[str, dict]:
    """Apply the live roots of ENV_NAME's COMPONENTS side by side; their outputs by component.

    They are independent (each its own state; none reads another's outputs), so the
    provider's waiters of one overlap the other's.
    """
    live = {
        f"live/{env_name}/{component}": roots.Root(
            environment.live_root_path(checkout, env_name, component)
        )
        for component in components
    }
    outputs = environment.apply_live_roots(live, backend_config, reporter)
    return {name.rsplit("/", 1)[1]: value for name, value in outputs.items()}


def failure_report(
    step: str, exc: UserError, log_file: Path, info: EmulatorInfo, still_running: bool = True
) -> str:
    if still_running:
        emulator = (
            f"The emulator is left running on {info.endpoint} with what was applied so far: "
            f"run `{make_command('up')}` again once fixed (it carries on), or "
            f"`{make_command('down')}` to stop it (that discards everything it holds)."
        )
    else:
        emulator = (
            f"The emulator on {info.endpoint} stopped during the run (see its log "
            f"{Path(info.ca_bundle).parent / LOG_FILE}); `{make_command('up')}` starts a new one "
            "and applies everything again."
        )
    logged = f"The whole run is logged in {log_file}."
    return f"`lmsops up` failed at {step}:\n{exc}\n\n{logged}\n{emulator}"


def publish_sample_site(site: Path, frontend_outputs: dict, reporter: Reporter) -> None:
    reporter.say(f"lmsops up: publish site/ to {frontend_outputs['bucket_name']} ...")
    # publish reports on stderr; here its report is progress of `up`, not an error.
    with contextlib.redirect_stderr(sys.stdout):
        publish.publish_folder(site, frontend_outputs["bucket_name"])


def local_guide(
    info: EmulatorInfo, checkout: Path, results: dict[str, dict], env_name: str = "dev"
) -> str:
    """What can be looked at on the emulator, how, and what the names would be on AWS."""
    lines = [
        "",
        "The environment runs on the local emulator. From any folder:",
        f'  {load_env_command()} && cd "$LMSOPS_EMULATOR_CHECKOUT"',
        "gives a shell where lmsops, terraform, boto3 and the aws CLI (if installed) work on it "
        f"(that checkout is {checkout}).",
    ]
    frontend = results.get("frontend")
    if frontend:
        lines += [
            "",
            "The site's index page, through the emulator's S3 endpoint:",
            f"  curl --cacert {info.ca_bundle} "
            f"{info.endpoint}/{frontend['bucket_name']}/index.html",
            f"On AWS it would be served at {frontend.get('site_url')} "
            f"(website endpoint {frontend.get('website_endpoint')}).",
        ]
    backend = results.get("backend")
    if backend:
        lines += [
            "",
            "The API has no running container here (the emulator runs no tasks); its load "
            "balancer's target group and their health:",
            f"  aws elbv2 describe-target-health --target-group-arn {backend['target_group_arn']}",
            f"On AWS it would answer at {backend.get('backend_url')} "
            f"(load balancer {backend.get('lb_dns_name')}).",
            "Ship a new backend image as CI would (the emulator has no Docker: push-image "
            "puts a placeholder image in its ECR):",
            f"  lmsops emulator push-image {backend['ecr_repository_url']}:v2 && "
            f"lmsops deploy --env {env_name} --image {backend['ecr_repository_url']}:v2",
        ]
    lines += [
        "",
        f"`{make_command('down')}` stops the emulator and discards everything applied to it.",
    ]
    return "\n".join(lines)
