"""Where lmsops keeps things: the repository it runs from and its cache folder.

A leaf module (standard library only), so that the Terraform toolchain, the AWS
reachability checks and the emulator can all read it without importing each other.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_ENV = "LMSOPS_CACHE_DIR"


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    path = Path(configured).expanduser() if configured else REPO_ROOT / ".lmsops"
    path.mkdir(parents=True, exist_ok=True)
    return path


def emulator_state_dir() -> Path:
    """Where the emulator `lmsops emulator start` and `lmsops up` run keeps its state."""
    return cache_dir() / "emulator"
