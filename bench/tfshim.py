"""Counting the Terraform processes a test tier starts, with a `terraform` shim first on PATH.

The shim appends `<working directory>\\t<subcommand>` to a log, then execs the real
binary, so Terraform's output and exit code are untouched. The project finds Terraform
with `shutil.which` (lmsops.toolchain.terraform_bin) and tftest by PATH, so every
Terraform process of a tier goes through it. The log is named by LOG_ENV, so one shim
file serves every tier: its path, size and mtime stay the same all section long, and
tests/inventory_build.py keys its cache on them (a new shim per run would make every
warm run cold).
"""

from __future__ import annotations

import shlex
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

LOG_ENV = "LMSOPS_BENCH_TERRAFORM_LOG"
COUNTED = ("init", "plan", "validate", "show")

SCRIPT = """#!/bin/sh
# Written by `python -m bench` (section 2): log this Terraform process, then run Terraform.
dir=$PWD
sub=
for arg in "$@"; do
  case $arg in
    -chdir=*) dir=${{arg#-chdir=}} ;;
    -*) ;;
    *) sub=$arg; break ;;
  esac
done
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
[ -n "$sub" ] || sub=${{1:-}}
log=${{{log_env}:-}}
[ -n "$log" ] || log={default_log}
printf '%s\\t%s\\n' "$dir" "$sub" >> "$log"
exec {real} "$@"
"""


def script(real: str, default_log: Path) -> str:
    """The shim's text: log to $LOG_ENV (DEFAULT_LOG when unset), then exec REAL."""
    return SCRIPT.format(
        log_env=LOG_ENV, default_log=shlex.quote(str(default_log)), real=shlex.quote(real)
    )


def install(folder: Path, real: str, default_log: Path) -> Path:
    """Write an executable `terraform` shim into FOLDER (to put first on PATH); return FOLDER."""
    folder.mkdir(parents=True, exist_ok=True)
    shim = folder / "terraform"
    shim.write_text(script(real, default_log))
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


@dataclass(frozen=True)
class TerraformUse:
    """The Terraform processes of one shim log."""

    planned: frozenset[str] = frozenset()  # working directories a plan ran in
    processes: dict[str, int] = field(default_factory=dict)  # subcommand -> processes

    @property
    def roots_planned(self) -> int:
        return len(self.planned)

    def count(self, subcommand: str) -> int:
        return self.processes.get(subcommand, 0)

    def others(self) -> dict[str, int]:
        """Processes of the subcommands not in COUNTED (fmt, version, ...)."""
        return {sub: n for sub, n in sorted(self.processes.items()) if sub not in COUNTED}


def parse_log(text: str) -> TerraformUse:
    planned: set[str] = set()
    processes: Counter[str] = Counter()
    for line in text.splitlines():
        if not line.strip():
            continue
        cwd, _, subcommand = line.rpartition("\t")
        processes[subcommand] += 1
        if subcommand == "plan":
            planned.add(cwd)
    return TerraformUse(frozenset(planned), dict(processes))


def read_log(path: Path) -> TerraformUse:
    """The log at PATH; no file means no Terraform process."""
    return parse_log(path.read_text(errors="replace")) if path.exists() else TerraformUse()


def combine(uses: Iterable[TerraformUse]) -> TerraformUse:
    """Several logs as one: processes add up, a root planned in two counts once."""
    planned: set[str] = set()
    processes: Counter[str] = Counter()
    for use in uses:
        planned |= use.planned
        processes.update(use.processes)
    return TerraformUse(frozenset(planned), dict(processes))
