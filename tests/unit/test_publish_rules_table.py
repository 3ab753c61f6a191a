"""What each published object gets (lmsops.publish.rules), value by value.

Browsers act on these headers: a wrong Content-Type breaks a page, a wrong Cache-Control
serves a stale one for a year. Found by mutation testing.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

import pytest

from lmsops import content_rules
from lmsops.publish import rules


@pytest.mark.parametrize(
    "key, content_type",
    [
        ("index.html", "text/html; charset=utf-8"),
        ("OLD.HTM", "text/html; charset=utf-8"),
        ("a.css", "text/css; charset=utf-8"),
        ("a.js", "application/javascript"),
        ("a.mjs", "application/javascript"),
        ("a.js.map", "application/json"),
        ("data.json", "application/json"),
        ("site.webmanifest", "application/manifest+json"),
        ("logo.svg", "image/svg+xml"),
        ("a.png", "image/png"),
        ("a.jpg", "image/jpeg"),
        ("a.jpeg", "image/jpeg"),
        ("a.gif", "image/gif"),
        ("a.webp", "image/webp"),
        ("a.avif", "image/avif"),
        ("favicon.ico", "image/x-icon"),
        ("f.woff", "font/woff"),
        ("f.woff2", "font/woff2"),
        ("f.ttf", "font/ttf"),
        ("f.otf", "font/otf"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("sitemap.xml", "application/xml"),
        ("a.pdf", "application/pdf"),
        ("a.wasm", "application/wasm"),
        ("a.mp4", "video/mp4"),
        ("a.webm", "video/webm"),
        ("no-extension", "application/octet-stream"),
        ("a.unknownext", "application/octet-stream"),
        ("a.csv", "text/csv; charset=utf-8"),
        ("a.zip", "application/zip"),
    ],
)
def test_content_type_per_extension(key, content_type):
    assert content_rules.content_type_for(key) == content_type


def test_content_type_reads_the_non_strict_mime_table_too(monkeypatch):
    """Types in common use that no standard registers (Python's non-strict table) are used.

    A type of this test's own, so the machine's /etc/mime.types cannot decide the answer."""
    if mimetypes._db is None:
        mimetypes.init()
    monkeypatch.setitem(mimetypes._db.types_map[False], ".lmsopstest", "image/x-lmsops-test")
    assert content_rules.content_type_for("a.lmsopstest") == "image/x-lmsops-test"


@pytest.mark.parametrize(
    "key, cache",
    [
        ("index.html", "no-cache"),
        ("docs/PAGE.HTML", "no-cache"),
        ("app.3f9a2c1b.js", "public, max-age=31536000, immutable"),
        ("main-3f9a2c1b.css", "public, max-age=31536000, immutable"),
        ("index-BdE3f9Qa.js", "public, max-age=31536000, immutable"),
        ("app.js", "public, max-age=300"),
        ("logo.png", "public, max-age=300"),
    ],
)
def test_cache_control_html_fingerprinted_and_the_rest(key, cache):
    assert content_rules.cache_control_for(key) == cache


@pytest.mark.parametrize(
    "key, fingerprinted",
    [
        ("app.3f9a2c1b.js", True),  # 8 hex
        ("app.3f9a2c1.js", False),  # 7 hex
        ("app.3f9a2c1b0d.js", True),  # more hex
        ("index-BdE3f9Qa.js", True),  # 8 letters and digits, one digit at least
        ("index-BdEzfxQa.js", False),  # no digit
        ("index-BdE3f9Qa9.js", False),  # 9 mixed characters, not hex
        ("3f9a2c1b.js", False),  # the base name itself is not a hash segment
        ("my-component.js", False),
        ("a.b.c.js", False),
    ],
)
def test_fingerprints_are_hash_segments_after_the_base_name(key, fingerprinted):
    assert content_rules.is_fingerprinted(key) is fingerprinted


@pytest.mark.parametrize(
    "key, plain",
    [
        ("assets/app.3f9a2c1b.js", "assets/app.js"),
        ("assets/index-BdE3f9Qa.js", "assets/index.js"),
        ("assets/my-component.3f9a2c1b.min.js", "assets/my-component.min.js"),
        ("app.js", "app.js"),
    ],
)
def test_without_fingerprint_drops_only_hash_segments(key, plain):
    assert content_rules.without_fingerprint(key) == plain


def test_hidden_paths_are_not_published_except_well_known():
    assert rules.is_published(PurePosixPath("a/b.html"))
    assert rules.is_published(PurePosixPath(".well-known/security.txt"))
    assert not rules.is_published(PurePosixPath(".git/config"))
    assert not rules.is_published(PurePosixPath("docs/.DS_Store"))
    assert not rules.is_published(PurePosixPath(".well-known/.secret"))


def test_lmsops_records_are_not_site_keys():
    assert not rules.is_site_key(".lmsops/publishes/x.json")
    assert rules.is_site_key("lmsops/x")
    assert rules.is_site_key(".well-known/x")


def test_upload_order_puts_html_last_then_by_key():
    keys = ["b.html", "z.css", "A.HTM", "a.js"]
    assert sorted(keys, key=rules.upload_order) == ["a.js", "z.css", "A.HTM", "b.html"]
    assert rules.upload_order("x.htm") == (1, "x.htm")
    assert rules.upload_order("x.js") == (0, "x.js")
