"""Site-folder scanning edges (lmsops.publish.local) found by mutation testing.

A symlinked folder is walked with the same rules as the site folder itself, the refusal
message is exact, and every kind of special file is named.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from lmsops.errors import UserError
from lmsops.publish import local


@pytest.fixture
def site(tmp_path) -> Path:
    folder = tmp_path / "site"
    (folder / "docs").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>home</h1>")
    (tmp_path / "outside.txt").write_text("secret")
    return folder


def test_a_symlink_outside_inside_a_symlinked_folder_is_refused_too(site):
    (site / "docs" / "leak.txt").symlink_to("../../outside.txt")
    (site / "manual").symlink_to("docs")
    scan = local.scan_site(site)
    assert {(r.path, r.reason) for r in scan.refusals} == {
        ("docs/leak.txt", "symlink to ../../outside.txt, outside the site folder"),
        ("manual/leak.txt", "symlink to ../../outside.txt, outside the site folder"),
    }
    assert sorted(scan.files) == ["index.html"]


def test_list_local_refuses_with_every_path_listed(site):
    (site / "a").symlink_to("missing")
    (site / "b").symlink_to("../outside.txt")
    with pytest.raises(UserError) as refused:
        local.list_local(site)
    assert str(refused.value) == (
        f"refusing to publish {site}: 2 path(s) would be read from outside the site folder or "
        "cannot be read:\n"
        "  a: symlink to missing, which does not exist\n"
        "  b: symlink to ../outside.txt, outside the site folder\n"
        "Nothing was uploaded or deleted. Remove these paths (replace a symlink by a copy of a "
        "file inside the folder) and publish again."
    )


def test_list_local_of_a_clean_folder_lists_its_files(site):
    assert sorted(local.list_local(str(site))) == ["index.html"]


@pytest.mark.parametrize(
    "mode, kind",
    [
        (stat.S_IFIFO, "a named pipe (fifo)"),
        (stat.S_IFSOCK, "a socket"),
        (stat.S_IFCHR, "a device"),
        (stat.S_IFBLK, "a device"),
        (0, "a special file"),
    ],
)
def test_special_files_are_named_by_kind(mode, kind):
    assert local._special_kind(mode | 0o644) == kind
