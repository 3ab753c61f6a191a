"""`lmsops up`: start the local emulator and bring an environment up on it.

Bootstraps remote state (local state kept beside the emulator's), then inits
each live root of the environment against that remote state and applies it,
and prints the endpoints. Running it again is idempotent.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys

from lmsops import environment, toolchain
from lmsops.emulator import Emulator

SAMPLE_SITE = toolchain.REPO_ROOT / "site"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "up", help="start the emulator and apply an environment on it; print its endpoints"
    )
    parser.add_argument("--env", default="dev", choices=environment.ENVIRONMENTS)
    parser.add_argument(
        "--component",
        action="append",
        choices=environment.COMPONENTS,
        help="apply only these components (default: every component of the environment)",
    )
    parser.add_argument(
        "--no-publish", action="store_true", help="do not publish the sample site to the frontend"
    )
    parser.set_defaults(func=run)


def start_emulator() -> dict[str, str]:
    emu = Emulator(environment.emulator_dir())
    if emu.status() is None and environment.emulator_work_dir().exists():
        # A new emulator starts empty: state recorded against the old one is stale.
        shutil.rmtree(environment.emulator_work_dir())
    info = emu.start()
    os.environ.update(info.env())
    return info.env()


def run(args: argparse.Namespace) -> int:
    env_vars = start_emulator()
    say(f"emulator: {env_vars['AWS_ENDPOINT_URL']}")
    repo = toolchain.REPO_ROOT
    boot = environment.bootstrap(repo, environment.emulator_work_dir())
    say(f"bootstrap: backend config written to {boot.backend_config}")
    results: dict[str, dict] = {}
    for component in args.component or environment.COMPONENTS:
        root = environment.live_root(repo, args.env, component, environment.emulator_work_dir())
        say(f"apply live/{args.env}/{component} ...")
        results[component] = environment.apply_live(root, boot.backend_config)
    if "frontend" in results and not args.no_publish:
        publish_sample_site(args.env, results["frontend"])
    print(json.dumps({"environment": args.env, "outputs": results}, indent=2, sort_keys=True))
    say('use it from this shell with: eval "$(.tox/up/bin/lmsops emulator env)"')
    return 0


def publish_sample_site(env_name: str, frontend_outputs: dict) -> None:
    from lmsops import publish

    say(f"publish {SAMPLE_SITE} to {frontend_outputs['bucket_name']} ...")
    publish.publish_folder(SAMPLE_SITE, frontend_outputs["bucket_name"])


def say(message: str) -> None:
    print(f"lmsops up: {message}", file=sys.stderr, flush=True)
