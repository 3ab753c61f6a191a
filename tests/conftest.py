"""Shared fixtures: tier markers by folder, the session emulator, plan helpers."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import boto3
import pytest
import tqdm

from lmsops import environment, roots
from lmsops.emulator import Emulator

# The plan inventory (tests/inventory.py): plan scenarios and expected failures, one build.
pytest_plugins = ["inventory"]

# tqdm's default write lock holds a multiprocessing semaphore, shared by every process
# forked after it exists: mutmut forks one per mutant, and one killed while drawing a bar
# left every later bar (lmsops publish's) blocked, reported as a timeout. A thread lock
# is private to each process.
tqdm.tqdm.set_lock(threading.RLock())

TESTS = Path(__file__).resolve().parent
TIERS = ("lint", "unit", "policy", "integration")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The CLI's emulator has a fixed default port (5443): a developer's `make up` may hold
# it, and parallel test sessions must not share one. Every session (and xdist worker),
# and every `lmsops` it runs as a subprocess, gets a free port of its own instead.
os.environ["LMSOPS_EMULATOR_PORT"] = str(_free_port())


def pytest_collection_modifyitems(items):
    for item in items:
        tier = Path(item.fspath).resolve().relative_to(TESTS).parts[0]
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture(autouse=True)
def fresh_default_boto3_session():
    """boto3's module-level session caches the config files and profile it first saw.

    Tests that point AWS_CONFIG_FILE or AWS_PROFILE elsewhere (monkeypatch) would
    otherwise leave a session behind that every later `boto3.client()` reuses.
    """
    boto3.DEFAULT_SESSION = None
    yield
    boto3.DEFAULT_SESSION = None


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    """A moto server over HTTPS for this test session; AWS_* env points at it."""
    state_dir = tmp_path_factory.mktemp("emulator")
    emu = Emulator(state_dir)
    info = emu.start()
    saved = {key: os.environ.get(key) for key in info.env()}
    os.environ.update(info.env())
    try:
        yield info
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        emu.stop()


@pytest.fixture(scope="session")
def repo_copy(tmp_path_factory) -> Path:
    """One session-wide copy of the Terraform trees, for read-only plan runs."""
    return roots.copy_repo(tmp_path_factory.mktemp("repo"))


@pytest.fixture
def fresh_repo_copy(tmp_path) -> Path:
    """A private copy of the Terraform trees for a test that applies or edits."""
    return roots.copy_repo(tmp_path / "repo")


@pytest.fixture(scope="session")
def bootstrapped(emulator, tmp_path_factory) -> environment.Bootstrapped:
    """bootstrap/ applied once on the emulator; `.backend_config` inits any live root.

    Live roots look up the hosted zone bootstrap/ creates, so their plans need it too.
    """
    repo = roots.copy_repo(tmp_path_factory.mktemp("bootstrap-repo"))
    return environment.bootstrap(repo, tmp_path_factory.mktemp("bootstrap-work"))
