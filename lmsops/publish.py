"""`lmsops publish`: upload a built static site folder to an environment's site bucket.

The sync is planned by pure functions (local files + remote objects -> actions)
and then carried out against S3. A file is unchanged when its MD5 equals the
object's ETag (true for single-part uploads without SSE-KMS) or the MD5 this
command stored in the object's metadata (which covers the other cases).
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lmsops.errors import UserError

MD5_METADATA_KEY = "md5"
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
SHORT_CACHE = "public, max-age=300"
MAX_SINGLE_PUT = 5 * 1024**3

# Web types set explicitly: the system's mime.types differs between machines.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript",
    ".mjs": "application/javascript",
    ".map": "application/json",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"
HTML_SUFFIXES = (".html", ".htm")
# A build hash segment between the base name and the extension: hex of 8+
# characters (app.3f9a2c1b.js, main-3f9a2c1b.css; webpack) or 8 letters and
# digits with at least one digit (index-BdE3f9Qa.js; Vite).
HASH_SEGMENT = re.compile(r"^(?:[0-9a-f]{8,}|(?=[A-Za-z_]*\d)[A-Za-z0-9_]{8})$")


@dataclass(frozen=True)
class LocalFile:
    key: str
    path: Path
    md5: str
    size: int


@dataclass(frozen=True)
class RemoteObject:
    key: str
    etag: str
    size: int
    md5: str | None = None  # from object metadata, when fetched


@dataclass(frozen=True)
class Action:
    kind: str  # "upload", "unchanged" or "delete"
    key: str
    local: LocalFile | None = None


@dataclass(frozen=True)
class Summary:
    uploaded: int
    unchanged: int
    deleted: int
    dry_run: bool = False

    def __str__(self) -> str:
        verbs = ("would upload", "would delete") if self.dry_run else ("uploaded", "deleted")
        return f"{verbs[0]} {self.uploaded}, unchanged {self.unchanged}, {verbs[1]} {self.deleted}"


# ---------------------------------------------------------------- pure rules


def content_type_for(key: str) -> str:
    suffix = Path(key).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _encoding = mimetypes.guess_type(key, strict=False)
    if guessed is None:
        return DEFAULT_CONTENT_TYPE
    if guessed.startswith("text/") and "charset" not in guessed:
        return f"{guessed}; charset=utf-8"
    return guessed


def is_fingerprinted(key: str) -> bool:
    """True when the file name carries a content hash segment (safe to cache for ever)."""
    stem = Path(key).stem  # name without its last extension
    middle = re.split(r"[.-]", stem)[1:]  # what follows the base name
    return any(HASH_SEGMENT.match(segment) for segment in middle)


def cache_control_for(key: str) -> str:
    if key.lower().endswith(HTML_SUFFIXES):
        return NO_CACHE
    if is_fingerprinted(key):
        return IMMUTABLE
    return SHORT_CACHE


def is_published(relative: Path) -> bool:
    """Hidden files and folders (.git, .DS_Store) are skipped, except .well-known/."""
    return not any(part.startswith(".") and part != ".well-known" for part in relative.parts)


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


def upload_order(key: str) -> tuple[int, str]:
    """Assets first, HTML last, so a new page never references an asset not yet uploaded."""
    return (1 if key.lower().endswith(HTML_SUFFIXES) else 0, key)


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
        actions.extend(Action("delete", key) for key in sorted(set(remote) - set(local)))
    return actions


def summarize(actions: Iterable[Action], dry_run: bool = False) -> Summary:
    kinds = [action.kind for action in actions]
    return Summary(kinds.count("upload"), kinds.count("unchanged"), kinds.count("delete"), dry_run)


# ------------------------------------------------------------- local folder


def file_md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_site_folder(folder: Path, index_document: str = "index.html") -> None:
    if not folder.exists():
        raise UserError(f"site folder {folder} does not exist; build the site first")
    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder; pass the folder holding the built site")
    if not (folder / index_document).is_file():
        raise UserError(
            f"{folder} has no {index_document}; pass the folder holding the built site "
            f"(its index document {index_document} must be at the top level)"
        )


def list_local(folder: Path) -> dict[str, LocalFile]:
    """Every publishable file under FOLDER by object key (POSIX path relative to FOLDER)."""
    files = {}
    for directory, subdirs, names in os.walk(folder):
        subdirs.sort()
        for name in sorted(names):
            path = Path(directory) / name
            relative = path.relative_to(folder)
            if not is_published(relative) or not path.is_file():
                continue
            size = path.stat().st_size
            if size > MAX_SINGLE_PUT:
                raise UserError(f"{relative} is larger than 5 GiB; S3 cannot take it in one PUT")
            key = relative.as_posix()
            files[key] = LocalFile(key, path, file_md5(path), size)
    return files


# ----------------------------------------------------------------- S3 side


def list_remote(s3, bucket: str) -> dict[str, RemoteObject]:
    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            objects[item["Key"]] = RemoteObject(item["Key"], item["ETag"], item["Size"])
    return objects


def with_stored_md5(s3, bucket: str, remote: dict[str, RemoteObject], keys: list[str]):
    """REMOTE with the MD5 from object metadata filled in for KEYS."""
    updated = dict(remote)
    for key in keys:
        head = s3.head_object(Bucket=bucket, Key=key)
        stored = head.get("Metadata", {}).get(MD5_METADATA_KEY)
        updated[key] = RemoteObject(key, remote[key].etag, remote[key].size, stored)
    return updated


def upload(s3, bucket: str, local: LocalFile) -> None:
    # Single-part put: the ETag then is the MD5 (unless the bucket uses SSE-KMS,
    # which the stored md5 metadata covers); Content-MD5 makes S3 verify the body.
    with local.path.open("rb") as body:
        s3.put_object(
            Bucket=bucket,
            Key=local.key,
            Body=body,
            ContentType=content_type_for(local.key),
            CacheControl=cache_control_for(local.key),
            ContentMD5=base64.b64encode(bytes.fromhex(local.md5)).decode(),
            Metadata={MD5_METADATA_KEY: local.md5},
        )


def delete_objects(s3, bucket: str, keys: list[str]) -> None:
    for start in range(0, len(keys), 1000):
        batch = [{"Key": key} for key in keys[start : start + 1000]]
        response = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        if response.get("Errors"):
            first = response["Errors"][0]
            raise UserError(f"could not delete {first['Key']}: {first.get('Message', '')}")


def execute(
    s3,
    bucket: str,
    actions: list[Action],
    progress: Callable[[int], None] = lambda _n: None,
) -> None:
    for action in actions:
        if action.kind == "delete":
            continue
        if action.kind == "upload":
            upload(s3, bucket, action.local)
        progress(1)
    doomed = [action.key for action in actions if action.kind == "delete"]
    if doomed:
        delete_objects(s3, bucket, doomed)
        progress(len(doomed))


def publish(
    s3,
    bucket: str,
    folder: Path,
    *,
    delete: bool = False,
    dry_run: bool = False,
    force: bool = False,
    index_document: str = "index.html",
    show_progress: bool = True,
) -> tuple[Summary, list[Action]]:
    """Sync FOLDER into BUCKET; return the summary and the actions taken (or planned)."""
    folder = Path(folder)
    check_site_folder(folder, index_document)
    local = list_local(folder)
    remote = _list_bucket(s3, bucket)
    remote = with_stored_md5(s3, bucket, remote, needs_metadata(local, remote))
    actions = plan_sync(local, remote, delete=delete, force=force)
    if not dry_run:
        _execute_with_progress(s3, bucket, actions, show_progress)
    return summarize(actions, dry_run), actions


def publish_folder(folder: Path, bucket: str, *, delete: bool = False) -> Summary:
    """Publish FOLDER to BUCKET with a default S3 client; print and return the summary."""
    import boto3

    summary, _ = publish(boto3.client("s3"), bucket, folder, delete=delete)
    print(f"s3://{bucket}: {summary}", file=sys.stderr)
    return summary


def _list_bucket(s3, bucket: str) -> dict[str, RemoteObject]:
    from botocore.exceptions import ClientError

    try:
        return list_remote(s3, bucket)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchBucket", "404"):
            raise UserError(
                f"bucket {bucket} does not exist; apply the frontend root first"
            ) from exc
        if code in ("AccessDenied", "403"):
            raise UserError(
                f"access denied listing bucket {bucket}; check your credentials"
            ) from exc
        raise


def _execute_with_progress(s3, bucket: str, actions: list[Action], show: bool) -> None:
    from tqdm import tqdm

    # disable=None: tqdm draws only when stderr is a terminal.
    disable = None if show else True
    with tqdm(
        total=len(actions), unit="file", desc="publish", file=sys.stderr, disable=disable
    ) as bar:
        execute(s3, bucket, actions, progress=bar.update)


# ---------------------------------------------------------------- command


def check_environment(env_name: str) -> None:
    from lmsops import environment

    if env_name not in environment.ENVIRONMENTS:
        choices = ", ".join(environment.ENVIRONMENTS)
        raise UserError(f"unknown environment {env_name!r}; choose one of {choices}")


def resolve_bucket(env_name: str, bucket: str | None, repo: Path | None = None) -> str:
    """The explicit --bucket, else the `bucket_name` output of live/<env>/frontend."""
    from lmsops import environment

    check_environment(env_name)
    if bucket:
        return bucket
    outputs = environment.live_outputs(env_name, "frontend", repo, hint="pass --bucket")
    return bucket_from_outputs(outputs, f"live/{env_name}/frontend")


def bucket_from_outputs(outputs: dict, where: str) -> str:
    if "bucket_name" not in outputs:
        raise UserError(
            f"{where} has no bucket_name output yet; apply the frontend root first or pass --bucket"
        )
    return outputs["bucket_name"]


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="upload a built static site folder to an environment's site bucket",
        description=__doc__,
    )
    parser.add_argument("folder", type=Path, help="folder holding the built site (with index.html)")
    parser.add_argument("--env", required=True, help="environment: dev or prod")
    parser.add_argument(
        "--bucket", help="bucket to publish to (default: the env's frontend output)"
    )
    parser.add_argument("--delete", action="store_true", help="delete objects not in the folder")
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    parser.add_argument("--force", action="store_true", help="upload every file, changed or not")
    parser.add_argument("--index-document", default="index.html", help="default: index.html")
    parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    parser.set_defaults(func=run)


def run(args) -> int:
    import boto3

    # Cheap local checks first, then the Terraform output lookup.
    check_environment(args.env)
    check_site_folder(args.folder, args.index_document)
    bucket = resolve_bucket(args.env, args.bucket)
    summary, actions = publish(
        boto3.client("s3"),
        bucket,
        args.folder,
        delete=args.delete,
        dry_run=args.dry_run,
        force=args.force,
        index_document=args.index_document,
        show_progress=not args.no_progress,
    )
    if args.dry_run:
        for action in actions:
            if action.kind != "unchanged":
                print(f"{action.kind}: s3://{bucket}/{action.key}")
    print(f"s3://{bucket}: {summary}")
    return 0
