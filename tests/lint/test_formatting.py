"""Formatting and linters: terraform fmt, ruff, a valid pre-commit config."""

import subprocess
import sys
from pathlib import Path

from lmsops import toolchain

REPO = toolchain.REPO_ROOT
BIN = Path(sys.executable).parent


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)


def test_terraform_fmt_is_clean():
    proc = run(toolchain.terraform_bin(), "fmt", "-check", "-recursive", "-diff")
    assert proc.returncode == 0, f"run `terraform fmt -recursive`:\n{proc.stdout}{proc.stderr}"


def test_ruff_check_is_clean():
    proc = run(str(BIN / "ruff"), "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_is_clean():
    proc = run(str(BIN / "ruff"), "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pre_commit_config_is_valid():
    proc = run(str(BIN / "pre-commit"), "validate-config", ".pre-commit-config.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
