"""`lmsops validate`: `terraform validate` every module and root, in parallel, on a copy.

Validation runs on a temporary copy so that `init` never writes lock files
into module folders or `.terraform/` into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lmsops import roots, toolchain


@dataclass
class Result:
    folder: str
    ok: bool
    message: str


def targets() -> list[Path]:
    """Every folder Terraform can validate: modules, examples, bootstrap, live roots."""
    repo = toolchain.REPO_ROOT
    return [*roots.module_dirs(), *roots.example_roots(), repo / "bootstrap", *roots.live_roots()]


ALIASES = re.compile(r"configuration_aliases\s*=\s*\[([^\]]*)\]")


def declare_provider_aliases(folder: Path) -> None:
    """Give a module's `configuration_aliases` a configuration so it validates standalone.

    Terraform cannot validate a module that expects aliased providers from its
    caller; the documented workaround is an alias block in the validated copy.
    """
    aliases = [
        ref.strip().split(".", 1)[1]
        for tf in folder.glob("*.tf")
        for match in ALIASES.finditer(tf.read_text())
        for ref in match.group(1).split(",")
        if "." in ref
    ]
    blocks = "".join(f'provider "aws" {{\n  alias = "{alias}"\n}}\n' for alias in aliases)
    if blocks:
        (folder / "lmsops_validate_aliases.tf").write_text(blocks)


def validate_one(copy_root: Path, rel: Path) -> Result:
    declare_provider_aliases(copy_root / rel)
    root = roots.Root(copy_root / rel)
    try:
        root.tf("init", "-backend=false", "-input=false", "-no-color")
        proc = root.tf("validate", "-json", "-no-color", check=False)
    except toolchain.TerraformError as exc:
        return Result(str(rel), False, str(exc))
    report = json.loads(proc.stdout)
    problems = [
        f"{d['severity']}: {d['summary']}: {d.get('detail', '')}".strip()
        for d in report.get("diagnostics", [])
        if d["severity"] == "error"
    ]
    return Result(str(rel), report["valid"], "\n".join(problems))


def validate_all(folders: list[Path] | None = None, jobs: int | None = None) -> list[Result]:
    repo = toolchain.REPO_ROOT
    rels = [f.resolve().relative_to(repo) for f in (folders or targets())]
    with tempfile.TemporaryDirectory(prefix="lmsops-validate-") as tmp:
        copy_root = roots.copy_repo(Path(tmp))
        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
            return list(pool.map(lambda rel: validate_one(copy_root, rel), rels))


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("validate", help="terraform validate every module and root")
    parser.add_argument("files", nargs="*", help="ignored: pre-commit passes changed files")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    results = validate_all()
    for result in results:
        status = "ok" if result.ok else "FAILED"
        print(f"{status:6} {result.folder}")
        if not result.ok:
            print(result.message, file=sys.stderr)
    return 0 if all(r.ok for r in results) else 1
