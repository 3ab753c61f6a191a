"""`terraform validate` of every module, example, bootstrap and live root."""

import pytest

from lmsops import toolchain, validate

REPO = toolchain.REPO_ROOT
TARGETS = validate.targets()


def test_validation_covers_every_kind_of_root():
    kinds = {p.relative_to(REPO).parts[0] for p in TARGETS}
    assert kinds == {"modules", "bootstrap", "live"}


@pytest.mark.parametrize("folder", TARGETS, ids=lambda p: str(p.relative_to(REPO)))
def test_terraform_validate(folder):
    [result] = validate.validate_all([folder], jobs=1)
    assert result.ok, result.message


def test_validate_reports_an_invalid_root(tmp_path):
    broken = tmp_path / "modules" / "broken"
    broken.mkdir(parents=True)
    (broken / "main.tf").write_text('resource "aws_s3_bucket" "x" {\n  nope = 1\n}\n')
    result = validate.validate_one(tmp_path, broken.relative_to(tmp_path))
    assert not result.ok
    assert "nope" in result.message
