"""Integration fixtures: a bootstrapped emulator shared by the whole session."""

from __future__ import annotations

import pytest

from lmsops import environment, roots


@pytest.fixture(scope="session")
def integration_repo(tmp_path_factory):
    """A session-wide copy of the Terraform trees that integration tests apply."""
    return roots.copy_repo(tmp_path_factory.mktemp("integration-repo"))


@pytest.fixture(scope="session")
def bootstrapped(emulator, integration_repo, tmp_path_factory) -> environment.Bootstrapped:
    """bootstrap/ applied once on the emulator; `.backend_config` inits any live root."""
    return environment.bootstrap(integration_repo, tmp_path_factory.mktemp("bootstrap-work"))
