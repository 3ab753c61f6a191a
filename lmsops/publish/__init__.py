"""`lmsops publish`: upload a built static site folder to an environment's site bucket.

Files: rules (which keys publish manages, upload order), local (the folder and
what it refuses to read), plan (sync plan, deletion review), target (the site
bucket's identity), remote (S3 calls), history (publish records and rollback
choice), flow (publish and rollback end to end), command (the CLI). The headers
each key gets are lmsops.content_rules, shared with `lmsops smoke frontend`.
"""

from lmsops.content_rules import (
    CONTENT_TYPES,
    DEFAULT_CONTENT_TYPE,
    IMMUTABLE,
    NO_CACHE,
    SHORT_CACHE,
    cache_control_for,
    content_type_for,
    is_fingerprinted,
    without_fingerprint,
)
from lmsops.publish.command import add_parser, bucket_from_outputs, check_environment, run
from lmsops.publish.flow import publish, publish_folder, refuse_unconfirmed, rollback
from lmsops.publish.history import RECORDS_PREFIX, PublishRecord, choose_rollback
from lmsops.publish.local import (
    MAX_SINGLE_PUT,
    LocalFile,
    Refusal,
    check_site_folder,
    file_md5,
    list_local,
    load_site,
    scan_site,
)
from lmsops.publish.plan import (
    DEFAULT_MAX_DELETE_SHARE,
    Action,
    DeleteReview,
    RemoteObject,
    Summary,
    is_unchanged,
    needs_metadata,
    plan_restore,
    plan_sync,
    review_deletions,
    summarize,
)
from lmsops.publish.remote import MD5_METADATA_KEY, list_remote, list_versions
from lmsops.publish.rules import PRIVATE_PREFIX, is_published, upload_order
from lmsops.publish.target import DOMAIN_TAG, ROLE, ROLE_TAG, SiteBucket, check_site_bucket

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_CONTENT_TYPE",
    "DEFAULT_MAX_DELETE_SHARE",
    "DOMAIN_TAG",
    "IMMUTABLE",
    "MAX_SINGLE_PUT",
    "MD5_METADATA_KEY",
    "NO_CACHE",
    "PRIVATE_PREFIX",
    "RECORDS_PREFIX",
    "ROLE",
    "ROLE_TAG",
    "SHORT_CACHE",
    "Action",
    "DeleteReview",
    "LocalFile",
    "PublishRecord",
    "Refusal",
    "RemoteObject",
    "SiteBucket",
    "Summary",
    "add_parser",
    "bucket_from_outputs",
    "cache_control_for",
    "check_environment",
    "check_site_bucket",
    "check_site_folder",
    "choose_rollback",
    "content_type_for",
    "file_md5",
    "is_fingerprinted",
    "is_published",
    "is_unchanged",
    "list_local",
    "list_remote",
    "list_versions",
    "load_site",
    "needs_metadata",
    "plan_restore",
    "plan_sync",
    "publish",
    "publish_folder",
    "refuse_unconfirmed",
    "review_deletions",
    "rollback",
    "run",
    "scan_site",
    "summarize",
    "upload_order",
    "without_fingerprint",
]
