"""Integration fixtures (the session `emulator` and `bootstrapped` live in tests/conftest.py)."""

from __future__ import annotations

import pytest

from lmsops import roots


@pytest.fixture(scope="session")
def integration_repo(tmp_path_factory):
    """A session-wide copy of the Terraform trees that integration tests apply."""
    return roots.copy_repo(tmp_path_factory.mktemp("integration-repo"))
