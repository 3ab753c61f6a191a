"""lmsops publish without AWS: content types, cache rules, the sync plan, input errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lmsops import cli, publish, roots
from lmsops.errors import UserError

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SITE = REPO_ROOT / "site"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("docs/page.htm", "text/html; charset=utf-8"),
        ("assets/app.3f9a2c1b.js", "application/javascript"),
        ("assets/app.8e1d4f7a.css", "text/css; charset=utf-8"),
        ("assets/logo.svg", "image/svg+xml"),
        ("img/photo.JPG", "image/jpeg"),
        ("fonts/inter.woff2", "font/woff2"),
        ("manifest.webmanifest", "application/manifest+json"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("data/blob.unknownext", "application/octet-stream"),
        ("LICENSE", "application/octet-stream"),
    ],
)
def test_content_type_per_file(key, expected):
    assert publish.content_type_for(key) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("index.html", publish.NO_CACHE),
        ("courses/intro/index.html", publish.NO_CACHE),
        ("assets/app.3f9a2c1b.js", publish.IMMUTABLE),
        ("assets/main-3f9a2c1b4d5e6f70.css", publish.IMMUTABLE),
        ("assets/index-BdE3f9Qa.js", publish.IMMUTABLE),
        ("assets/app.3f9a2c1b.js.map", publish.IMMUTABLE),
        ("assets/logo.svg", publish.SHORT_CACHE),
        ("assets/vendor-bundle.js", publish.SHORT_CACHE),
        ("assets/my-document.js", publish.SHORT_CACHE),
        ("3f9a2c1b.js", publish.SHORT_CACHE),
        ("robots.txt", publish.SHORT_CACHE),
    ],
)
def test_cache_control_long_only_for_fingerprinted_assets(key, expected):
    assert publish.cache_control_for(key) == expected
    assert publish.IMMUTABLE == "public, max-age=31536000, immutable"
    assert publish.NO_CACHE == "no-cache"


def local(key: str, body: bytes) -> publish.LocalFile:
    return publish.LocalFile(key, Path("/nowhere") / key, hashlib.md5(body).hexdigest(), len(body))


def remote(key: str, body: bytes, etag: str | None = None, md5: str | None = None):
    etag = etag or hashlib.md5(body).hexdigest()
    return publish.RemoteObject(key, f'"{etag}"', len(body), md5)


def kinds(actions):
    return {action.key: action.kind for action in actions}


def test_plan_uploads_new_and_changed_keeps_unchanged():
    files = {
        "index.html": local("index.html", b"<h1>v2</h1>"),
        "a.css": local("a.css", b"body{}"),
        "new.js": local("new.js", b"1"),
    }
    objects = {
        "index.html": remote("index.html", b"<h1>v1</h1>"),
        "a.css": remote("a.css", b"body{}"),
        "gone.js": remote("gone.js", b"old"),
    }
    actions = publish.plan_sync(files, objects)
    assert kinds(actions) == {"index.html": "upload", "a.css": "unchanged", "new.js": "upload"}
    assert str(publish.summarize(actions)) == "uploaded 2, unchanged 1, deleted 0"


def test_plan_deletes_only_with_delete_flag():
    files = {"index.html": local("index.html", b"x")}
    objects = {
        "index.html": remote("index.html", b"x"),
        "old/page.html": remote("old/page.html", b"y"),
    }
    assert kinds(publish.plan_sync(files, objects, delete=False)) == {"index.html": "unchanged"}
    with_delete = publish.plan_sync(files, objects, delete=True)
    assert kinds(with_delete) == {"index.html": "unchanged", "old/page.html": "delete"}
    assert publish.summarize(with_delete).deleted == 1


def test_plan_force_uploads_unchanged_files():
    files = {"index.html": local("index.html", b"x")}
    objects = {"index.html": remote("index.html", b"x")}
    assert kinds(publish.plan_sync(files, objects, force=True)) == {"index.html": "upload"}


def test_plan_uploads_html_after_assets():
    files = {k: local(k, k.encode()) for k in ("index.html", "z.css", "a/page.html", "b.js")}
    order = [action.key for action in publish.plan_sync(files, {})]
    assert order == ["b.js", "z.css", "a/page.html", "index.html"]


def test_multipart_or_kms_etag_falls_back_to_stored_md5():
    body = b"<h1>same</h1>"
    files = {"index.html": local("index.html", body)}
    not_md5 = {"index.html": remote("index.html", body, etag="0123456789abcdef0123456789abcdef-2")}
    assert publish.needs_metadata(files, not_md5) == ["index.html"]
    assert kinds(publish.plan_sync(files, not_md5)) == {"index.html": "upload"}

    stored = hashlib.md5(body).hexdigest()
    with_md5 = {"index.html": remote("index.html", body, etag="0123-2", md5=stored)}
    assert publish.needs_metadata(files, with_md5) == []
    assert kinds(publish.plan_sync(files, with_md5)) == {"index.html": "unchanged"}


def test_size_mismatch_is_a_change_without_reading_metadata():
    files = {"index.html": local("index.html", b"longer body")}
    objects = {"index.html": remote("index.html", b"short", etag="ffff-2")}
    assert publish.needs_metadata(files, objects) == []
    assert kinds(publish.plan_sync(files, objects)) == {"index.html": "upload"}


def test_list_local_keys_md5_and_hidden_files(tmp_path):
    (tmp_path / "index.html").write_bytes(b"<p>hi</p>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.3f9a2c1b.js").write_bytes(b"1;")
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_bytes(b"ref")
    (tmp_path / ".well-known").mkdir()
    (tmp_path / ".well-known" / "security.txt").write_bytes(b"Contact: x")
    files = publish.list_local(tmp_path)
    assert sorted(files) == [".well-known/security.txt", "assets/app.3f9a2c1b.js", "index.html"]
    assert files["index.html"].md5 == hashlib.md5(b"<p>hi</p>").hexdigest()
    assert files["index.html"].size == 9


def test_sample_site_has_index_error_page_fingerprinted_assets_and_svg():
    files = publish.list_local(SAMPLE_SITE)
    assert {"index.html", "404.html", "assets/logo.svg"} <= set(files)
    immutable = [k for k in files if publish.cache_control_for(k) == publish.IMMUTABLE]
    assert {Path(k).suffix for k in immutable} == {".css", ".js"}
    index = (SAMPLE_SITE / "index.html").read_text()
    assert all(f"/{key}" in index for key in immutable), "index.html references the assets"


def test_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        publish.check_site_folder(tmp_path / "dist")


def test_folder_without_index_document_is_a_user_error(tmp_path):
    (tmp_path / "about.html").write_text("x")
    with pytest.raises(UserError, match=r"no index\.html"):
        publish.check_site_folder(tmp_path)


def test_file_instead_of_folder_is_a_user_error(tmp_path):
    (tmp_path / "index.html").write_text("x")
    with pytest.raises(UserError, match="not a folder"):
        publish.check_site_folder(tmp_path / "index.html")


def test_unknown_environment_is_a_user_error():
    with pytest.raises(UserError, match="unknown environment 'staging'"):
        publish.check_environment("staging")


def test_unapplied_root_is_a_user_error():
    with pytest.raises(UserError, match="no bucket_name output"):
        publish.bucket_from_outputs({}, "live/dev/frontend")


def test_cli_registers_publish_and_reports_errors(tmp_path, capsys):
    assert "lmsops.publish" in cli.COMMAND_MODULES
    with pytest.raises(SystemExit) as refused:
        cli.main(["publish", "--env", "qa", "--bucket", "b", str(tmp_path)])
    assert refused.value.code == 2
    assert "argument --env: invalid choice: 'qa'" in capsys.readouterr().err
    code = cli.main(["publish", "--env", "dev", str(tmp_path / "missing")])  # before any lookup
    assert code == 2
    assert "does not exist" in capsys.readouterr().err


def test_uninitialised_root_is_a_user_error_even_with_an_explicit_bucket(
    tmp_path, capsys, monkeypatch
):
    """--bucket is checked against the env's site domain, so the outputs are still needed."""
    # Credentials present (real-AWS shape, no endpoint), so the shell check passes.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    repo = roots.copy_repo(tmp_path / "repo")
    argv = ["publish", "--env", "dev", "--repo", str(repo), "--bucket", "dev.acme-lms.com"]
    assert cli.main([*argv, str(SAMPLE_SITE)]) == 2
    err = capsys.readouterr().err
    assert "live/dev/frontend has not been initialised here" in err
    assert "  or pass --tf-data-dir" in err
