"""The sync plan (local files + remote objects -> actions) and the review of its deletions.

Pure functions: no AWS, no files. A file is unchanged when its MD5 equals the
object's ETag (true for single-part uploads without SSE-KMS) or the MD5 publish
stored in the object's metadata (which covers the other cases).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lmsops.content_rules import is_fingerprinted, without_fingerprint
from lmsops.publish.local import LocalFile
from lmsops.publish.rules import is_site_key, upload_order

# --delete may remove at most this share of the site's objects without confirmation.
DEFAULT_MAX_DELETE_SHARE = 0.5


@dataclass(frozen=True)
class RemoteObject:
    key: str
    etag: str
    size: int
    md5: str | None = None  # from object metadata, when fetched


@dataclass(frozen=True)
class Action:
    kind: str  # "upload", "restore", "unchanged" or "delete"
    key: str
    local: LocalFile | None = None
    version_id: str | None = None  # the version a "restore" copies back


@dataclass(frozen=True)
class Summary:
    uploaded: int
    unchanged: int
    deleted: int
    dry_run: bool = False
    restored: bool = False  # a rollback: "uploaded" counts versions copied back
    confirm_reasons: tuple[str, ...] = ()  # why the real run would ask (set on dry runs)

    def __str__(self) -> str:
        write, written = ("restore", "restored") if self.restored else ("upload", "uploaded")
        verbs = (f"would {write}", "would delete") if self.dry_run else (written, "deleted")
        return f"{verbs[0]} {self.uploaded}, unchanged {self.unchanged}, {verbs[1]} {self.deleted}"


@dataclass(frozen=True)
class DeleteReview:
    """What a plan deletes, measured against the site, and whether a person must agree."""

    deletions: tuple[str, ...]
    site_objects: int
    index_document: str
    max_share: float
    replaced: tuple[str, ...] = ()  # fingerprinted assets deleted for a new build of them

    @property
    def share(self) -> float:
        lost = len(self.deletions) - len(self.replaced)
        return lost / self.site_objects if self.site_objects else 0.0

    @property
    def removes_index(self) -> bool:
        return self.index_document in self.deletions

    @property
    def needs_confirmation(self) -> bool:
        return self.removes_index or self.share > self.max_share

    def reasons(self) -> list[str]:
        reasons = []
        if self.removes_index:
            reasons.append(f"it deletes the index document {self.index_document}")
        if self.share > self.max_share:
            lost = len(self.deletions) - len(self.replaced)
            reasons.append(
                f"it deletes {lost} of the site's {self.site_objects} objects "
                f"({self.share:.0%}, more than the {self.max_share:.0%} --max-delete-share)"
            )
        return reasons

    def describe(self, bucket: str, limit: int = 20) -> str:
        """The reasons and the keys it would delete (the first LIMIT of them)."""
        shown = [f"  delete s3://{bucket}/{key}" for key in self.deletions[:limit]]
        if len(self.deletions) > limit:
            shown.append(f"  ... and {len(self.deletions) - limit} more")
        return "this needs confirmation: " + "; ".join(self.reasons()) + "\n" + "\n".join(shown)


def is_unchanged(local: LocalFile, remote: RemoteObject) -> bool:
    if remote.size != local.size:
        return False
    return local.md5 in (remote.etag.strip('"'), remote.md5)


def needs_metadata(local: dict[str, LocalFile], remote: dict[str, RemoteObject]) -> list[str]:
    """Keys whose ETag is not their MD5 but may still be unchanged: read their stored MD5."""
    return sorted(
        key
        for key, obj in remote.items()
        if key in local
        and obj.md5 is None
        and obj.size == local[key].size
        and obj.etag.strip('"') != local[key].md5
    )


def plan_sync(
    local: dict[str, LocalFile],
    remote: dict[str, RemoteObject],
    delete: bool = False,
    force: bool = False,
) -> list[Action]:
    """Actions that make the bucket match the folder: uploads, unchanged files, deletions."""
    actions = []
    for key in sorted(local, key=upload_order):
        obj = remote.get(key)
        unchanged = obj is not None and not force and is_unchanged(local[key], obj)
        actions.append(Action("unchanged" if unchanged else "upload", key, local[key]))
    if delete:
        doomed = sorted(key for key in set(remote) - set(local) if is_site_key(key))
        actions.extend(Action("delete", key) for key in doomed)
    return actions


def plan_restore(current: dict[str, str], target: dict[str, str]) -> list[Action]:
    """Actions that make the live versions (key -> version id) equal TARGET's."""
    actions = []
    for key in sorted(target, key=upload_order):
        same = current.get(key) == target[key]
        actions.append(Action("unchanged" if same else "restore", key, version_id=target[key]))
    actions.extend(Action("delete", key) for key in sorted(set(current) - set(target)))
    return actions


def review_deletions(
    actions: Iterable[Action], site_objects: int, index_document: str, max_share: float
) -> DeleteReview:
    """The plan's deletions; a fingerprinted asset whose new build the plan keeps is "replaced".

    A rebuild renames every fingerprinted asset (app.3f9a2c1b.js -> app.9b8c7d6e.js):
    deleting the old names loses nothing, so they do not count toward the share.
    """
    actions = list(actions)
    deletions = tuple(action.key for action in actions if action.kind == "delete")
    kept = {without_fingerprint(action.key) for action in actions if action.kind != "delete"}
    replaced = tuple(
        key for key in deletions if is_fingerprinted(key) and without_fingerprint(key) in kept
    )
    return DeleteReview(deletions, site_objects, index_document, max_share, replaced)


def summarize(actions: Iterable[Action], dry_run: bool = False, restored: bool = False) -> Summary:
    kinds = [action.kind for action in actions]
    written = kinds.count("upload") + kinds.count("restore")
    return Summary(written, kinds.count("unchanged"), kinds.count("delete"), dry_run, restored)
