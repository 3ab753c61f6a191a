"""The machine a run measured: cores, CPU, versions of Terraform, the provider and Python."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from lmsops import toolchain
from lmsops.roots import Root


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    try:
        for line in cpuinfo.read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib(meminfo: Path = Path("/proc/meminfo")) -> str:
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def terraform_versions(initialised_root: Root) -> tuple[str, dict[str, str]]:
    """Terraform's version and the provider versions selected in an initialised root."""
    raw = json.loads(initialised_root.tf("version", "-json").stdout)
    return raw.get("terraform_version", "unknown"), raw.get("provider_selections", {})


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def git_commit() -> str:
    proc = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=toolchain.REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() or "unknown"


def describe(initialised_root: Root, started: datetime | None = None) -> dict[str, str]:
    terraform, providers = terraform_versions(initialised_root)
    when = started or datetime.now(UTC)
    return {
        "date": when.strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "cores": f"{usable_cores()} ({cpu_model()})",
        "memory": memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "terraform": terraform,
        "providers": ", ".join(f"{k} {v}" for k, v in sorted(providers.items())) or "none",
        "python": platform.python_version(),
        "moto": package_version("moto"),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
