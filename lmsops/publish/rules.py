"""Which keys publish manages and in which order it uploads them (headers: content_rules)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from lmsops.content_rules import HTML_SUFFIXES

# Keys under this prefix are lmsops's own (publish records), never site content: publish
# never uploads, deletes or counts them, and the s3-website module denies them to
# anonymous readers. A site folder's own `.lmsops/` is hidden, hence never published.
PRIVATE_PREFIX = ".lmsops/"


def is_published(relative: PurePosixPath | Path) -> bool:
    """Hidden files and folders (.git, .DS_Store) are skipped, except .well-known/."""
    return not any(part.startswith(".") and part != ".well-known" for part in relative.parts)


def is_site_key(key: str) -> bool:
    """A key publish manages (anything but lmsops's own records)."""
    return not key.startswith(PRIVATE_PREFIX)


def upload_order(key: str) -> tuple[int, str]:
    """Assets first, HTML last, so a new page never references an asset not yet uploaded."""
    return (1 if key.lower().endswith(HTML_SUFFIXES) else 0, key)
