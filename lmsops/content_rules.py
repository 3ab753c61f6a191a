"""What each published object gets: Content-Type and Cache-Control, by key.

`lmsops publish` sets these headers and `lmsops smoke frontend` expects them, so
both read them here (neither imports the other).
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path, PurePosixPath

IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
SHORT_CACHE = "public, max-age=300"

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


def content_type_for(key: str) -> str:
    suffix = Path(key).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _encoding = mimetypes.guess_type(key, strict=False)
    if guessed is None:
        return DEFAULT_CONTENT_TYPE
    if guessed.startswith("text/"):  # mimetypes gives bare types, never parameters
        return f"{guessed}; charset=utf-8"
    return guessed


def is_fingerprinted(key: str) -> bool:
    """True when the file name carries a content hash segment (safe to cache for ever)."""
    stem = Path(key).stem  # name without its last extension
    middle = re.split(r"[.-]", stem)[1:]  # what follows the base name
    return any(HASH_SEGMENT.match(segment) for segment in middle)


def without_fingerprint(key: str) -> str:
    """KEY with its hash segments removed: assets/app.3f9a2c1b.js -> assets/app.js."""
    path = PurePosixPath(key)
    parts = re.split(r"([.-])", path.stem)
    kept = [parts[0]]
    for separator, segment in zip(parts[1::2], parts[2::2], strict=True):
        if not HASH_SEGMENT.match(segment):
            kept += [separator, segment]
    return str(path.with_name("".join(kept) + path.suffix))


def cache_control_for(key: str) -> str:
    if key.lower().endswith(HTML_SUFFIXES):
        return NO_CACHE
    if is_fingerprinted(key):
        return IMMUTABLE
    return SHORT_CACHE
