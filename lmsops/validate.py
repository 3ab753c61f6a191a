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
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from lmsops import roots, toolchain
from lmsops.annotations import SubParsers
from lmsops.terraform_progress import is_terminal


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


def validate_all(
    folders: list[Path] | None = None,
    jobs: int | None = None,
    on_result: Callable[[Result], None] = lambda _result: None,
) -> list[Result]:
    """Validate FOLDERS (default: every target); ON_RESULT hears each as it finishes."""
    repo = toolchain.REPO_ROOT
    rels = [f.resolve().relative_to(repo) for f in (folders or targets())]
    with tempfile.TemporaryDirectory(prefix="lmsops-validate-") as tmp:
        copy_root = roots.copy_repo(Path(tmp))
        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
            futures = {pool.submit(validate_one, copy_root, rel): rel for rel in rels}
            done: dict[Path, Result] = {}
            for future in as_completed(futures):
                done[futures[future]] = future.result()
                on_result(done[futures[future]])
    return [done[rel] for rel in rels]


def add_parser(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="terraform validate every module, example and root (no AWS needed)",
        description="Run `terraform validate` on every module, module example, bootstrap/ and "
        "live root, in parallel, on a temporary copy (nothing is written to the repository). "
        "Shows each folder as it finishes; also used as a pre-commit hook.",
    )
    parser.add_argument("files", nargs="*", help="ignored: pre-commit passes changed files")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    total = len(targets())
    started = time.monotonic()
    bar = None
    if is_terminal(sys.stdout):
        bar = tqdm(total=total, desc="validate", unit="folder", file=sys.stdout)
    count = 0

    def show(result: Result) -> None:
        nonlocal count
        count += 1
        status = "ok" if result.ok else "FAILED"
        line = f"{status:6} {result.folder} [{count}/{total}, {time.monotonic() - started:.0f} s]"
        if bar is not None:
            bar.write(line)
            bar.update(1)
        else:
            print(line, flush=True)
        if not result.ok:
            print(result.message, file=sys.stderr, flush=True)

    print(f"validate: {total} folders (modules, examples, bootstrap, live roots) ...", flush=True)
    try:
        results = validate_all(on_result=show)
    finally:
        if bar is not None:
            bar.close()
    return 0 if all(r.ok for r in results) else 1
