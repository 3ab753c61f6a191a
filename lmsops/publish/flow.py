"""Publish a folder, or roll back to the previous publish: check, plan, confirm, write, record.

Order of every run: local checks (folder, refusals) -> the bucket's identity ->
plan -> review of deletions (confirmation) -> record of the starting set ->
writes -> record of the result. A dry run stops after the review: same plan,
same refusals (a review no one can confirm is refused), nothing written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import boto3
from tqdm import tqdm

from lmsops.annotations import Client
from lmsops.errors import UserError
from lmsops.publish import history, remote
from lmsops.publish.local import LocalFile, load_site
from lmsops.publish.plan import (
    DEFAULT_MAX_DELETE_SHARE,
    Action,
    DeleteReview,
    Summary,
    needs_metadata,
    plan_restore,
    plan_sync,
    review_deletions,
    summarize,
)
from lmsops.publish.target import check_site_bucket

Confirm = Callable[[DeleteReview, str], bool]


def refuse_unconfirmed(_review: DeleteReview, _bucket: str) -> bool:
    """The default: no one is there to agree."""
    return False


def publish(
    s3: Client,
    bucket: str,
    folder: Path,
    *,
    site_domain: str | None = None,
    delete: bool = False,
    dry_run: bool = False,
    force: bool = False,
    index_document: str = "index.html",
    max_delete_share: float = DEFAULT_MAX_DELETE_SHARE,
    confirm: Confirm = refuse_unconfirmed,
    local: dict[str, LocalFile] | None = None,
    show_progress: bool = True,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> tuple[Summary, list[Action]]:
    """Sync FOLDER into BUCKET, the site bucket of SITE_DOMAIN (default: BUCKET's own name).

    LOCAL is FOLDER already loaded (load_site). Returns the summary and the actions
    taken, or planned with DRY_RUN.
    """
    local = load_site(Path(folder), index_document) if local is None else local
    site = check_site_bucket(s3, bucket, site_domain or bucket)
    objects = remote.list_remote(s3, bucket)
    objects = remote.with_stored_md5(s3, bucket, objects, needs_metadata(local, objects))
    actions = plan_sync(local, objects, delete=delete, force=force)
    review = review_deletions(actions, len(objects), site.index_document, max_delete_share)
    summary = summarize(actions, dry_run)
    if dry_run:
        _refuse_if_unconfirmable(review, bucket, confirm, PUBLISH_REFUSAL)
        return with_confirm_reasons(summary, review), actions
    _confirm_or_refuse(review, bucket, confirm, PUBLISH_REFUSAL)
    _record_start(s3, bucket, now)
    _execute_with_progress(s3, bucket, actions, show_progress)
    live, _ = remote.list_versions(s3, bucket)
    history.record_if_new(s3, bucket, live, kind="publish", now=now(), note=str(folder))
    return summary, actions


def rollback(
    s3: Client,
    bucket: str,
    *,
    site_domain: str | None = None,
    dry_run: bool = False,
    max_delete_share: float = DEFAULT_MAX_DELETE_SHARE,
    confirm: Confirm = refuse_unconfirmed,
    show_progress: bool = True,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> tuple[Summary, list[Action], history.RollbackChoice]:
    """Make the set live before the last publish live again, from object versions."""
    site = check_site_bucket(s3, bucket, site_domain or bucket)
    live, kept = remote.list_versions(s3, bucket)
    record_ids = history.list_record_ids(s3, bucket)
    latest = history.read_record(s3, bucket, record_ids[-1]) if record_ids else None
    where = f"s3://{bucket}/{history.RECORDS_PREFIX}"
    choice = history.choose_rollback(record_ids, latest.objects if latest else None, live, where)
    target = history.read_record(s3, bucket, choice.record_id)
    missing = history.missing_versions(target.objects, kept)
    if missing:
        raise UserError(
            f"cannot roll back to publish {choice.record_id}: the bucket no longer keeps the "
            f"versions of {len(missing)} object(s) ({', '.join(missing[:5])}); previous versions "
            "expire after noncurrent_version_expiration_days. Nothing was changed; publish the "
            "site's source of that time instead."
        )
    actions = plan_restore(live, target.objects)
    review = review_deletions(actions, len(live), site.index_document, max_delete_share)
    summary = summarize(actions, dry_run, restored=True)
    refusal = rollback_refusal(choice.record_id, review)
    if dry_run:
        _refuse_if_unconfirmable(review, bucket, confirm, refusal)
        return with_confirm_reasons(summary, review), actions, choice
    _confirm_or_refuse(review, bucket, confirm, refusal)
    _execute_with_progress(s3, bucket, actions, show_progress)
    live, _ = remote.list_versions(s3, bucket)
    note = f"rollback to {choice.record_id}"
    history.record_if_new(s3, bucket, live, kind="rollback", now=now(), note=note)
    return summary, actions, choice


def publish_folder(folder: Path, bucket: str, *, delete: bool = False) -> Summary:
    """Publish FOLDER to BUCKET with a default S3 client; print and return the summary."""
    summary, _ = publish(boto3.client("s3"), bucket, folder, delete=delete)
    print(f"s3://{bucket}: {summary}", file=sys.stderr)
    return summary


def with_confirm_reasons(summary: Summary, review: DeleteReview) -> Summary:
    """SUMMARY of a dry run, saying why the real run would ask for confirmation."""
    reasons = tuple(review.reasons()) if review.needs_confirmation else ()
    return replace(summary, confirm_reasons=reasons)


# How a refusal to delete without confirmation reads: what was refused, then the advice.
PUBLISH_REFUSAL = (
    "change s3://{bucket}",
    "Check the folder is the full built site, then confirm at the prompt, "
    "pass --yes (CI), or raise --max-delete-share.",
)


def rollback_refusal(record_id: str, review: DeleteReview) -> tuple[str, str]:
    """The refusal of a rollback: it deletes the objects that publish RECORD_ID did not have."""
    shown = ", ".join(review.deletions[:5]) + (" ..." if len(review.deletions) > 5 else "")
    return (
        f"roll s3://{{bucket}} back to publish {record_id}",
        f"The rollback makes the objects of publish {record_id} live again, so it deletes "
        f"those it did not have ({shown}). If that is what you want (undoing a rollback is), "
        "confirm at the prompt or run the rollback again with --yes.",
    )


def _refuse_if_unconfirmable(
    review: DeleteReview, bucket: str, confirm: Confirm, refusal: tuple[str, str]
) -> None:
    """A dry run refuses what the real run would: a review no one is there to confirm."""
    if review.needs_confirmation and confirm is refuse_unconfirmed:
        _refuse(review, bucket, refusal)


def _confirm_or_refuse(
    review: DeleteReview, bucket: str, confirm: Confirm, refusal: tuple[str, str]
) -> None:
    if review.needs_confirmation and not confirm(review, bucket):
        _refuse(review, bucket, refusal)


def _refuse(review: DeleteReview, bucket: str, refusal: tuple[str, str]) -> None:
    what, advice = refusal
    raise UserError(
        f"refusing to {what.format(bucket=bucket)} without confirmation: "
        + "; ".join(review.reasons())
        + f". Nothing was written or deleted. {advice}"
    )


def undo_confirm_reasons(
    s3: Client, bucket: str, site_domain: str | None = None
) -> tuple[str, ...]:
    """Why `publish --rollback` undoing the last write would need confirmation (() if not)."""
    try:
        summary, _, _ = rollback(
            s3,
            bucket,
            site_domain=site_domain,
            dry_run=True,
            confirm=lambda _review, _bucket: True,
            show_progress=False,
        )
    except UserError:
        return ()
    return summary.confirm_reasons


def _record_start(s3: Client, bucket: str, now: Callable[[], datetime]) -> None:
    """Record the live set before changing it, when the last record is not that set."""
    live, _ = remote.list_versions(s3, bucket)
    history.record_if_new(s3, bucket, live, kind="before", now=now())


def _execute_with_progress(s3: Client, bucket: str, actions: list[Action], show: bool) -> None:
    # disable=None: tqdm draws only when stderr is a terminal.
    disable = None if show else True
    with tqdm(
        total=len(actions), unit="file", desc="publish", file=sys.stderr, disable=disable
    ) as bar:
        remote.execute(s3, bucket, actions, progress=bar.update)
