"""lmsops publish reads nothing outside the site folder: symlinks, special files, refusals."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from lmsops import cli, publish
from lmsops.errors import UserError


@pytest.fixture
def site(tmp_path) -> Path:
    folder = tmp_path / "site"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>home</h1>")
    (folder / "assets" / "app.js").write_text("1;")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("db password")
    return folder


def refusals(folder: Path) -> dict[str, str]:
    return {r.path: r.reason for r in publish.scan_site(folder).refusals}


def test_plain_folder_has_no_refusals(site):
    scan = publish.scan_site(site)
    assert scan.refusals == []
    assert sorted(scan.files) == ["assets/app.js", "index.html"]


@pytest.mark.parametrize(
    "target", ["../outside/secret.txt", "/etc/hostname"], ids=["relative", "absolute"]
)
def test_symlink_to_a_file_outside_is_refused(site, target):
    (site / "leak.txt").symlink_to(target)
    assert refusals(site) == {"leak.txt": f"symlink to {target}, outside the site folder"}
    assert "leak.txt" not in publish.scan_site(site).files


def test_symlinked_folder_outside_is_refused_not_skipped(site):
    (site / "docs").symlink_to("../outside")
    assert refusals(site) == {"docs": "symlink to ../outside, outside the site folder"}


def test_symlinks_inside_the_folder_are_published_under_their_own_key(site):
    (site / "app-latest.js").symlink_to("assets/app.js")
    (site / "static").symlink_to("assets")
    scan = publish.scan_site(site)
    assert scan.refusals == []
    assert sorted(scan.files) == [
        "app-latest.js",
        "assets/app.js",
        "index.html",
        "static/app.js",
    ]
    assert scan.files["app-latest.js"].md5 == scan.files["assets/app.js"].md5


def test_symlink_to_a_hidden_file_inside_is_refused(site):
    (site / ".env").write_text("SECRET=1")
    (site / "env.txt").symlink_to(".env")
    assert refusals(site) == {"env.txt": "symlink to .env, a hidden path publish never uploads"}


def test_symlink_loop_and_broken_symlink_are_refused(site):
    (site / "assets" / "again").symlink_to("..")
    (site / "gone.txt").symlink_to("nowhere.txt")
    assert refusals(site) == {
        "assets/again": "symlink to ..: a folder containing it (a loop)",
        "gone.txt": "symlink to nowhere.txt, which does not exist",
    }


def test_symlinks_pointing_at_each_other_are_a_loop_not_missing(site):
    (site / "loop1").symlink_to("loop2")
    (site / "loop2").symlink_to("loop1")
    (site / "through.txt").symlink_to("loop1/page.html")
    loop = "a symlink loop (it never reaches a file)"
    assert refusals(site) == {
        "loop1": f"symlink to loop2, {loop}",
        "loop2": f"symlink to loop1, {loop}",
        "through.txt": f"symlink to loop1/page.html, {loop}",
    }


def test_fifo_and_socket_are_refused(site, tmp_path):
    os.mkfifo(site / "pipe")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(site / "sock"))
        assert refusals(site) == {
            "pipe": "a named pipe (fifo), not a file",
            "sock": "a socket, not a file",
        }


def test_unreadable_file_is_refused(site, monkeypatch):
    real_md5 = publish.local.file_md5

    def md5_or_permission_error(path: Path) -> str:
        if path.name == "app.js":
            raise PermissionError(13, "Permission denied", str(path))
        return real_md5(path)

    monkeypatch.setattr(publish.local, "file_md5", md5_or_permission_error)
    assert refusals(site) == {"assets/app.js": "cannot be read (Permission denied)"}


def test_unreadable_folder_is_refused_by_its_path(site, monkeypatch):
    real_scandir = os.scandir

    def scandir_or_permission_error(path):
        if Path(path).name == "assets":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(publish.local.os, "scandir", scandir_or_permission_error)
    assert refusals(site) == {"assets": "folder cannot be read (Permission denied)"}


def test_a_file_that_vanishes_before_it_is_read_is_refused_by_its_path(site, monkeypatch):
    real_stat = Path.stat

    def stat_or_gone(path, *args, **kwargs):
        if path.name == "app.js":
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat_or_gone)
    assert refusals(site) == {"assets/app.js": "cannot be read (No such file or directory)"}


def test_a_file_larger_than_one_put_is_refused_and_one_at_the_limit_is_not(site, monkeypatch):
    monkeypatch.setattr(publish.local, "MAX_SINGLE_PUT", 2)  # "1;" is 2 bytes: at the limit
    (site / "big.bin").write_bytes(b"123")
    assert refusals(site) == {
        "big.bin": "larger than 5 GiB; S3 cannot take it in one PUT",
        "index.html": "larger than 5 GiB; S3 cannot take it in one PUT",
    }
    assert "assets/app.js" in publish.scan_site(site).files


def test_load_site_lists_every_refusal_and_says_nothing_was_written(site):
    (site / "leak.txt").symlink_to("../outside/secret.txt")
    os.mkfifo(site / "pipe")
    with pytest.raises(UserError) as refused:
        publish.load_site(site)
    message = str(refused.value)
    assert "2 path(s)" in message
    assert "  leak.txt: symlink to ../outside/secret.txt, outside the site folder" in message
    assert "  pipe: a named pipe (fifo), not a file" in message
    assert "Nothing was uploaded or deleted" in message


@pytest.mark.parametrize("dry_run", [["--dry-run"], []], ids=["dry-run", "real"])
def test_cli_refuses_before_reading_outputs(site, tmp_path, dry_run, capsys):
    (site / "leak.txt").symlink_to("../outside/secret.txt")
    outputs = tmp_path / "missing-outputs.json"  # never read: the refusal comes first
    argv = ["publish", "--env", "dev", "--outputs-json", str(outputs), *dry_run, str(site)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "leak.txt: symlink to ../outside/secret.txt" in err
    assert "does not exist" not in err
