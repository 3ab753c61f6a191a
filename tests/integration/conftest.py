"""Integration fixtures (the session `emulator` and `bootstrapped` live in tests/conftest.py).

Each pytest-xdist worker has its own emulator and, if any of its files needs it, its own
bootstrap. With `--dist loadgroup` (tox.ini) the files are packed into one lane per
worker by their measured cost (tests/integration_lanes.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import integration_lanes
import pytest

from lmsops import roots

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def integration_repo(tmp_path_factory):
    """A session-wide copy of the Terraform trees that integration tests apply."""
    return roots.copy_repo(tmp_path_factory.mktemp("integration-repo"))


@pytest.fixture(scope="session")
def destroy_leftovers():
    """Destroy a root unless its state is empty already (its own test destroyed it).

    A fixture's teardown destroys what its file applied when a test failed before the
    file's destroy test ran; after that test, the state lists nothing and a second
    `terraform destroy` (a provider start and a refresh: ~10 s) would find nothing to do.
    """

    def destroy(root: roots.Root, how: Callable[[], None] | None = None) -> None:
        """`terraform destroy` of ROOT (or HOW, e.g. lifting a protection first) if needed."""
        if root.tf("state", "list").stdout.strip():
            (how or root.destroy)()

    return destroy


@pytest.hookimpl(tryfirst=True)  # before xdist turns xdist_group marks into scopes
def pytest_collection_modifyitems(config, items):
    """Under `--dist loadgroup`, an xdist_group mark per file: its lane (one per worker)."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers < 2 or not config.getvalue("loadgroup"):
        return
    ours = [item for item in items if item.path.parent == HERE]
    needs_bootstrap: dict[str, bool] = {}
    for item in ours:
        name = item.path.name
        needs_bootstrap[name] = needs_bootstrap.get(name, False) or (
            "bootstrapped" in item.fixturenames
        )
    lane = integration_lanes.lanes_of(needs_bootstrap, workers)
    for item in ours:
        item.add_marker(pytest.mark.xdist_group(lane[item.path.name]))
