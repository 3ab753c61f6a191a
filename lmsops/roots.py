"""Run Terraform roots of this repository: init, plan, apply, output, destroy.

A `Root` keeps Terraform's working data (`.terraform/`) outside the repository
when given a `data_dir`, so runs against the emulator never disturb a user's
own initialisation of the same root against real AWS.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from lmsops import toolchain

if TYPE_CHECKING:
    from lmsops.terraform_progress import Reporter

REPO_ROOT = toolchain.REPO_ROOT
COPIED_TOP_DIRS = ("modules", "live", "bootstrap", "tests/fixtures")
IGNORED = shutil.ignore_patterns(".terraform", "*.tfstate", "*.tfstate.*", "*.tfplan")
LOCAL_BACKEND_OVERRIDE = 'terraform {\n  backend "local" {}\n}\n'


def live_roots() -> list[Path]:
    """Every live root, e.g. live/dev/backend, in a stable order."""
    return sorted(p.parent for p in (REPO_ROOT / "live").glob("*/*/backend.tf"))


def module_dirs() -> list[Path]:
    return sorted(p.parent for p in (REPO_ROOT / "modules").glob("*/versions.tf"))


def example_roots() -> list[Path]:
    return sorted(p.parent for p in (REPO_ROOT / "modules").glob("*/examples/*/main.tf"))


# What the emulator's own checkout holds: the Terraform trees and the sample site.
CHECKOUT_TOP_DIRS = ("modules", "live", "bootstrap", "site")
# What a checkout keeps of its own across syncs: Terraform's working data and state.
CHECKOUT_OWN = (".terraform", "terraform.tfstate", "terraform.tfstate.backup")


def copy_repo(dest: Path) -> Path:
    """Copy the Terraform trees into DEST so relative module sources still resolve."""
    for top in COPIED_TOP_DIRS:
        src = REPO_ROOT / top
        if src.is_dir():
            shutil.copytree(src, dest / top, ignore=IGNORED, dirs_exist_ok=True)
    return dest


def sync_checkout(dest: Path, source: Path = REPO_ROOT) -> Path:
    """Make DEST a copy of SOURCE's Terraform trees and site, keeping DEST's own Terraform data.

    Files DEST holds that SOURCE no longer has are removed; `.terraform/` folders
    and state files in DEST stay (they belong to DEST), and nothing in SOURCE is
    read beyond its tracked kinds of files: SOURCE's own `.terraform/`, state files
    and plan files are never copied.
    """
    for top in CHECKOUT_TOP_DIRS:
        src_top, dest_top = source / top, dest / top
        if dest_top.is_dir():
            remove_files_gone_from(dest_top, src_top)
        if src_top.is_dir():
            shutil.copytree(src_top, dest_top, ignore=IGNORED, dirs_exist_ok=True)
    return dest


def remove_files_gone_from(dest_top: Path, src_top: Path) -> None:
    for folder, dirs, files in os.walk(dest_top):
        dirs[:] = [d for d in dirs if d != ".terraform"]
        for name in files:
            path = Path(folder) / name
            if name in CHECKOUT_OWN or name.endswith(".tfplan"):
                continue
            if not (src_top / path.relative_to(dest_top)).exists():
                path.unlink()


class Root:
    """One Terraform root directory and the environment it runs with."""

    def __init__(
        self,
        path: Path,
        data_dir: Path | None = None,
        env: dict[str, str] | None = None,
    ):
        self.path = Path(path)
        extra = dict(env or {})
        if data_dir is not None:
            Path(data_dir).mkdir(parents=True, exist_ok=True)
            extra["TF_DATA_DIR"] = str(data_dir)
        self.env = toolchain.terraform_env(extra)

    def tf(
        self, *args: str, check: bool = True, input_text: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return toolchain.run(list(args), self.path, self.env, check=check, input_text=input_text)

    def use_local_backend(self) -> None:
        """Replace the root's backend with local state (plan tests on copies only)."""
        (self.path / "backend_override.tf").write_text(LOCAL_BACKEND_OVERRIDE)

    def init(
        self,
        backend_config: Path | str | None = None,
        backend_options: dict[str, str] | None = None,
        reconfigure: bool = True,
        reporter: Reporter | None = None,
        label: str = "",
    ) -> None:
        args = ["init", "-no-color", "-input=false"]
        if reconfigure:
            args.append("-reconfigure")
        if backend_config is not None:
            args.append(f"-backend-config={backend_config}")
        for key, value in (backend_options or {}).items():
            args.append(f"-backend-config={key}={value}")
        if reporter is not None:
            reporter.run(args, self.path, self.env, label or str(self.path))
            return
        self.tf(*args)

    def plan(
        self,
        out: Path | None = None,
        var_args: list[str] | None = None,
        detailed_exitcode: bool = False,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        args = ["plan", "-no-color", "-input=false", *(var_args or [])]
        if out is not None:
            args.append(f"-out={out}")
        if detailed_exitcode:
            args.append("-detailed-exitcode")
            proc = self.tf(*args, check=False)
            if check and proc.returncode == 1:
                raise toolchain.TerraformError(
                    tuple(args), proc.returncode, proc.stdout + proc.stderr
                )
            return proc
        return self.tf(*args, check=check)

    def plan_json(self, var_args: list[str] | None = None) -> dict:
        planfile = self.path / "lmsops.tfplan"
        self.plan(out=planfile, var_args=var_args)
        try:
            return json.loads(self.tf("show", "-json", str(planfile)).stdout)
        finally:
            planfile.unlink(missing_ok=True)

    def apply(
        self,
        var_args: list[str] | None = None,
        extra: tuple[str, ...] = (),
        reporter: Reporter | None = None,
        label: str = "",
    ) -> None:
        args = ["apply", "-no-color", "-input=false", "-auto-approve", *(var_args or []), *extra]
        if reporter is not None:
            reporter.run([*args, "-json"], self.path, self.env, label or str(self.path))
            return
        self.tf(*args)

    def destroy(self, var_args: list[str] | None = None) -> None:
        self.tf("destroy", "-no-color", "-input=false", "-auto-approve", *(var_args or []))

    def outputs(self) -> dict:
        raw = json.loads(self.tf("output", "-json").stdout or "{}")
        return {name: item["value"] for name, item in raw.items()}

    def output_raw(self, name: str) -> str:
        return self.tf("output", "-raw", name).stdout
