"""Every module, example, bootstrap and live root is validated: by a plan or by `validate`.

A plan validates its configuration first, so a folder that a plan inventory scenario
plans (a module through its example) needs no `terraform validate` of its own; every
other folder (or every folder whose scenarios this session's inventory does not hold,
see LMSOPS_INVENTORY in tests/inventory.py) gets one here. Each folder is one test
either way, so none drops out.
"""

import pytest
from inventory import declarations, planned_folders

from lmsops import toolchain, validate

REPO = toolchain.REPO_ROOT
TARGETS = validate.targets()
PLANNED = planned_folders(declarations())


def rel(folder) -> str:
    return str(folder.relative_to(REPO))


def test_validation_covers_every_kind_of_root():
    kinds = {p.relative_to(REPO).parts[0] for p in TARGETS}
    assert kinds == {"modules", "bootstrap", "live"}


@pytest.mark.parametrize("folder", TARGETS, ids=rel)
def test_terraform_validate(folder, request):
    scenarios = PLANNED.get(rel(folder), [])
    inventory = request.getfixturevalue("inventory") if scenarios else None
    built = inventory.built(scenarios) if inventory else []
    if built:
        assert inventory.planned_ok(built), f"every scenario of {rel(folder)} failed"
    else:
        [result] = validate.validate_all([folder], jobs=1)
        assert result.ok, result.message


def test_validate_reports_an_invalid_root(tmp_path):
    broken = tmp_path / "modules" / "broken"
    broken.mkdir(parents=True)
    (broken / "main.tf").write_text('resource "aws_s3_bucket" "x" {\n  nope = 1\n}\n')
    result = validate.validate_one(tmp_path, broken.relative_to(tmp_path))
    assert not result.ok
    assert "nope" in result.message
