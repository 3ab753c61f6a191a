"""The site folder: every file publish would read, and every path it refuses to read.

Publish never reads outside the folder it is given. A symlink is followed only when
its target resolves inside the folder (and is not hidden there); one pointing
outside, a broken one, a loop, a special file (fifo, socket, device) and a file
that cannot be read are refused. The whole folder is checked before anything is
uploaded, so a refusal leaves the bucket untouched; the dry run checks the same.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lmsops.errors import UserError
from lmsops.publish.rules import is_published

MAX_SINGLE_PUT = 5 * 1024**3


@dataclass(frozen=True)
class LocalFile:
    key: str
    path: Path
    md5: str
    size: int


@dataclass(frozen=True)
class Refusal:
    """A path under the site folder that publish will not read, and why."""

    path: str  # relative to the site folder, POSIX
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class SiteScan:
    files: dict[str, LocalFile] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)


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


def scan_site(folder: Path) -> SiteScan:
    """Every publishable file under FOLDER by object key, and every refused path."""
    root = Path(folder).resolve()
    scan = SiteScan()
    _scan_folder(root, root, PurePosixPath(), frozenset({root}), scan)
    return scan


def load_site(folder: Path, index_document: str = "index.html") -> dict[str, LocalFile]:
    """The files to publish from FOLDER; a UserError listing every refused path, if any."""
    folder = Path(folder)
    check_site_folder(folder, index_document)
    scan = scan_site(folder)
    if scan.refusals:
        raise UserError(refusal_message(folder, scan.refusals))
    return scan.files


def list_local(folder: Path) -> dict[str, LocalFile]:
    """Every publishable file under FOLDER by object key (POSIX path relative to FOLDER)."""
    scan = scan_site(Path(folder))
    if scan.refusals:
        raise UserError(refusal_message(Path(folder), scan.refusals))
    return scan.files


def refusal_message(folder: Path, refusals: list[Refusal]) -> str:
    lines = "\n".join(f"  {refusal}" for refusal in refusals)
    return (
        f"refusing to publish {folder}: {len(refusals)} path(s) would be read from outside "
        f"the site folder or cannot be read:\n{lines}\n"
        "Nothing was uploaded or deleted. Remove these paths (replace a symlink by a copy "
        "of a file inside the folder) and publish again."
    )


def file_md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _scan_folder(
    root: Path, real_dir: Path, relative_dir: PurePosixPath, chain: frozenset, scan: SiteScan
) -> None:
    """Walk REAL_DIR (reached as RELATIVE_DIR); CHAIN holds the real folders being walked."""
    try:
        entries = sorted(os.scandir(real_dir), key=lambda entry: entry.name)
    except OSError as exc:
        scan.refusals.append(Refusal(str(relative_dir), f"folder cannot be read ({exc.strerror})"))
        return
    for entry in entries:
        relative = relative_dir / entry.name
        if not is_published(relative):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            _scan_symlink(root, path, relative, chain, scan)
        else:
            _scan_target(root, path, relative, chain, scan, via="")


def _scan_symlink(
    root: Path, link: Path, relative: PurePosixPath, chain: frozenset, scan: SiteScan
) -> None:
    shown = os.readlink(link)
    try:
        target = link.resolve(strict=True)
    except RuntimeError:  # how Python before 3.13 reports a loop
        scan.refusals.append(Refusal(str(relative), f"symlink to {shown}, {SYMLINK_LOOP}"))
        return
    except OSError as exc:
        scan.refusals.append(Refusal(str(relative), f"symlink to {shown}, {_unresolved(exc)}"))
        return
    if not target.is_relative_to(root):
        reason = f"symlink to {shown}, outside the site folder"
        scan.refusals.append(Refusal(str(relative), reason))
        return
    if not is_published(target.relative_to(root)):
        reason = f"symlink to {shown}, a hidden path publish never uploads"
        scan.refusals.append(Refusal(str(relative), reason))
        return
    _scan_target(root, target, relative, chain, scan, via=f"symlink to {shown}: ")


SYMLINK_LOOP = "a symlink loop (it never reaches a file)"


def _unresolved(exc: OSError) -> str:
    """Why a symlink's target cannot be resolved."""
    if exc.errno == errno.ELOOP:
        return SYMLINK_LOOP
    if exc.errno == errno.ENOENT:
        return "which does not exist"
    return f"which cannot be resolved ({exc.strerror})"


def _scan_target(
    root: Path, path: Path, relative: PurePosixPath, chain: frozenset, scan: SiteScan, *, via: str
) -> None:
    try:
        mode = path.stat().st_mode  # the symlink was resolved already: this is the target
    except OSError as exc:
        scan.refusals.append(Refusal(str(relative), f"{via}cannot be read ({exc.strerror})"))
        return
    if stat.S_ISDIR(mode):
        real = path.resolve()
        if real in chain:
            scan.refusals.append(Refusal(str(relative), f"{via}a folder containing it (a loop)"))
            return
        _scan_folder(root, real, relative, chain | {real}, scan)
    elif stat.S_ISREG(mode):
        _read_file(path, relative, scan, via)
    else:
        scan.refusals.append(Refusal(str(relative), f"{via}{_special_kind(mode)}, not a file"))


def _read_file(path: Path, relative: PurePosixPath, scan: SiteScan, via: str) -> None:
    size = path.stat().st_size
    if size > MAX_SINGLE_PUT:
        reason = f"{via}larger than 5 GiB; S3 cannot take it in one PUT"
        scan.refusals.append(Refusal(str(relative), reason))
        return
    try:
        md5 = file_md5(path)
    except OSError as exc:
        scan.refusals.append(Refusal(str(relative), f"{via}cannot be read ({exc.strerror})"))
        return
    key = relative.as_posix()
    scan.files[key] = LocalFile(key, path, md5, size)


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (fifo)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"
