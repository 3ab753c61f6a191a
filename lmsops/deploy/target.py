"""Which service a deploy verb acts on: explicit flags, else the env's live outputs."""

from __future__ import annotations

import argparse
from pathlib import Path

from lmsops import environment
from lmsops.errors import UserError

OUTPUT_NAMES = {"cluster": "cluster_name", "service": "service_name", "container": "container_name"}


def known_target(args: argparse.Namespace) -> dict:
    return {"env": args.env, "cluster": args.cluster, "service": args.service}


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
    cluster, service = values["cluster"], values["service"]
    if not (cluster and service):
        missing = [OUTPUT_NAMES[k] for k in ("cluster", "service") if not values[k]]
        raise UserError(
            f"live/{args.env}/backend has no output {', '.join(missing)}; apply it first "
            "or pass --cluster and --service"
        )
    return cluster, service, values["container"]


def live_outputs(repo: Path, env: str, data_dir: Path | None) -> dict:
    return environment.live_outputs(
        env, "backend", repo, data_dir, hint="pass --cluster and --service"
    )
