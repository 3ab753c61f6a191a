"""The `lmsops publish` command line: arguments, the target from Terraform outputs, prompts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from lmsops import environment, roots
from lmsops.annotations import Client, SubParsers
from lmsops.environment import ENVIRONMENTS
from lmsops.errors import UserError
from lmsops.publish.flow import (
    Confirm,
    publish,
    refuse_unconfirmed,
    rollback,
    undo_confirm_reasons,
)
from lmsops.publish.local import LocalFile, load_site
from lmsops.publish.plan import DEFAULT_MAX_DELETE_SHARE, Action, DeleteReview, Summary

DESCRIPTION = """\
Sync a built static site folder to an environment's site bucket: Content-Type per
file, long-lived Cache-Control for fingerprinted assets and no-cache for HTML,
unchanged files skipped by MD5. Or, with --rollback, make the previous publish
live again.
"""

EPILOG = """\
safety checks (all before the first write; a refusal exits 2 with nothing written):
  target   the bucket must be the environment's site bucket: named as the site
           domain in live/<env>/frontend's outputs, tagged lmsops:role = site and
           lmsops:site-domain = <domain> by modules/s3-website, with static website
           hosting and versioning on. --bucket may only name that same bucket.
  folder   nothing outside FOLDER is read: symlinks are followed only when their
           target is inside FOLDER (and not hidden); symlinks leading outside, broken
           ones, loops, fifos, sockets, devices and unreadable files are refused,
           every one listed. Hidden files (.git, .env) are skipped, except .well-known/.
  deletes  --delete that would remove the index document or more than
           --max-delete-share of the site's objects asks for confirmation: a prompt
           on a terminal, --yes in CI; without either it refuses.
  --dry-run shows the same plan and the same refusals (a deletion that needs
           confirmation is refused without a terminal or --yes), and writes nothing.

the way back:
  every publish records the version of each live object (under .lmsops/publishes/,
  which the bucket policy denies to anonymous readers);
  `lmsops publish --env <env> --rollback` makes the previous set live again from
  object versions and records that as a publish (run it again to undo it, with --yes
  when that undo needs confirmation: the printed "undo with:" command says). Previous
  versions expire after the module's noncurrent_version_expiration_days.
"""


def add_parser(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="upload a built static site to an environment's site bucket, or roll it back",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "folder", type=Path, nargs="?", help="folder holding the built site (with index.html)"
    )
    parser.add_argument(
        "--env", required=True, choices=ENVIRONMENTS, help="the environment whose site to publish"
    )
    parser.add_argument(
        "--rollback",
        action="store_true",
        help="restore the set of objects live before the last publish (no FOLDER)",
    )
    parser.add_argument(
        "--bucket", help="the env's site bucket, checked like the default (default: its output)"
    )
    parser.add_argument("--delete", action="store_true", help="delete objects not in the folder")
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    parser.add_argument(
        "--yes", action="store_true", help="confirm deletions that need it (for CI)"
    )
    parser.add_argument(
        "--max-delete-share",
        type=percent,
        default=DEFAULT_MAX_DELETE_SHARE,
        metavar="PERCENT",
        help="deleting more than this share of the site's objects needs confirmation "
        f"(default: {DEFAULT_MAX_DELETE_SHARE * 100:.0f}%%)",
    )
    parser.add_argument("--force", action="store_true", help="upload every file, changed or not")
    parser.add_argument("--index-document", default="index.html", help="default: index.html")
    parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--outputs-json",
        type=Path,
        help="read live/<env>/frontend's outputs from this file (`terraform output -json`)",
    )
    source.add_argument(
        "--tf-data-dir", type=Path, help="TF_DATA_DIR the live root was initialised with"
    )
    parser.add_argument(
        "--repo",
        type=Path,
        default=None,
        help="checkout holding live/ (default: the emulator's checkout, $LMSOPS_EMULATOR_CHECKOUT, "
        f"once its environment is loaded, else {roots.REPO_ROOT})",
    )
    parser.set_defaults(func=run)


def percent(text: str) -> float:
    """--max-delete-share: a percentage from 0 to 100 (50 or 50%), as a fraction."""
    try:
        value = float(text.removesuffix("%"))
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage from 0 to 100, e.g. 50")
    return value / 100


def run(args: argparse.Namespace) -> int:
    # Cheap local checks first (folder, refusals), then the Terraform output lookup.
    check_environment(args.env)
    local = check_arguments_and_load(args)
    site_domain = site_domain_for(args)
    bucket = args.bucket or site_domain
    confirm = confirmer(args.yes)
    s3 = boto3.client("s3")
    try:
        if args.rollback:
            return run_rollback(s3, bucket, site_domain, confirm=confirm, args=args)
        return run_publish(s3, bucket, site_domain, local=local, confirm=confirm, args=args)
    except KeyboardInterrupt:
        print(interrupted_advice(bucket, args.env), file=sys.stderr)
        raise
    except _client_errors() as exc:
        advice = interrupted_advice(bucket, args.env)
        raise UserError(f"S3 refused a request: {exc}. {advice}") from exc


def check_arguments_and_load(args: argparse.Namespace) -> dict[str, LocalFile] | None:
    """The site folder's files (None for --rollback), after checking the arguments agree."""
    if args.rollback:
        if args.folder is not None or args.delete or args.force:
            raise UserError(
                "--rollback restores the previous publish from object versions: "
                "give no FOLDER, --delete or --force"
            )
        return None
    if args.folder is None:
        raise UserError("give the folder holding the built site, or --rollback")
    return load_site(args.folder, args.index_document)


def run_publish(
    s3: Client,
    bucket: str,
    site_domain: str,
    *,
    local: dict[str, LocalFile] | None,
    confirm: Confirm,
    args: argparse.Namespace,
) -> int:
    summary, actions = publish(
        s3,
        bucket,
        args.folder,
        site_domain=site_domain,
        delete=args.delete,
        dry_run=args.dry_run,
        force=args.force,
        index_document=args.index_document,
        max_delete_share=args.max_delete_share,
        confirm=confirm,
        local=local,
        show_progress=not args.no_progress,
    )
    report(bucket, summary, actions, args)
    if not args.dry_run and (summary.uploaded or summary.deleted):
        print(undo_hint(s3, bucket, site_domain, args.env), file=sys.stderr)
    return 0


def run_rollback(
    s3: Client, bucket: str, site_domain: str, *, confirm: Confirm, args: argparse.Namespace
) -> int:
    summary, actions, choice = rollback(
        s3,
        bucket,
        site_domain=site_domain,
        dry_run=args.dry_run,
        max_delete_share=args.max_delete_share,
        confirm=confirm,
        show_progress=not args.no_progress,
    )
    print(f"rollback to publish {choice.record_id}: {choice.why}", file=sys.stderr)
    report(bucket, summary, actions, args)
    if not args.dry_run:
        print(undo_hint(s3, bucket, site_domain, args.env), file=sys.stderr)
    return 0


def undo_hint(s3: Client, bucket: str, site_domain: str, env_name: str) -> str:
    """The rollback command that undoes this run, with --yes when that undo needs it."""
    command = f"lmsops publish --env {env_name} --rollback"
    reasons = undo_confirm_reasons(s3, bucket, site_domain)
    if not reasons:
        return f"undo with: {command}"
    return f"undo with: {command} --yes (--yes confirms it: {'; '.join(reasons)})"


def report(bucket: str, summary: Summary, actions: list[Action], args: argparse.Namespace) -> None:
    if args.dry_run:
        for action in actions:
            if action.kind != "unchanged":
                print(f"{action.kind}: s3://{bucket}/{action.key}")
    print(f"s3://{bucket}: {summary}")
    if summary.confirm_reasons:
        reasons = "; ".join(summary.confirm_reasons)
        if args.yes:
            print(f"confirmed by --yes: {reasons}")
        else:
            print(f"the real run would ask for confirmation (--yes in CI): {reasons}")


def confirmer(yes: bool) -> Confirm:
    if yes:
        return lambda _review, _bucket: True
    if sys.stdin.isatty():
        return ask
    return refuse_unconfirmed


def ask(review: DeleteReview, bucket: str) -> bool:
    print(review.describe(bucket), file=sys.stderr)
    try:
        answer = input(f"Delete these {len(review.deletions)} object(s)? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def interrupted_advice(bucket: str, env_name: str) -> str:
    return (
        f"s3://{bucket} may be partly updated; `lmsops publish --env {env_name} --rollback` "
        "restores the last recorded publish"
    )


def check_environment(env_name: str) -> None:
    if env_name not in ENVIRONMENTS:
        choices = ", ".join(ENVIRONMENTS)
        raise UserError(f"unknown environment {env_name!r}; choose one of {choices}")


def site_domain_for(args: argparse.Namespace) -> str:
    """The env's site domain: the frontend root's bucket_name output (the bucket is named so)."""
    where = f"live/{args.env}/frontend"
    if args.outputs_json is not None:
        outputs = environment.read_outputs_file(args.outputs_json)
        where = str(args.outputs_json)
    else:
        outputs = environment.live_outputs(
            args.env,
            "frontend",
            args.repo,
            args.tf_data_dir,
            hint="pass --tf-data-dir or --outputs-json",
        )
    return bucket_from_outputs(outputs, where)


def bucket_from_outputs(outputs: dict, where: str) -> str:
    if "bucket_name" not in outputs:
        raise UserError(f"{where} has no bucket_name output yet; apply the frontend root first")
    return outputs["bucket_name"]


def _client_errors() -> tuple[type[Exception], ...]:
    return (ClientError, BotoCoreError)
