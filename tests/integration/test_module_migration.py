"""States applied with the old module layout move to the new one without replacing anything.

The certificate (alb-https, s3-website) and the ECS cluster (ecs-service) became modules
of their own: modules/acm-certificate and modules/ecs-cluster, with `moved` blocks where
the resources used to be. Each scenario applies the code of PRE_CHANGE_COMMIT (taken
with `git archive` into a temporary folder) on the emulator, then points the working
tree's code (a copy) at the same state:

1. `plan -detailed-exitcode` exits 2 only because of the moves: Terraform reports a plan
   whose sole content is moves as a change. Its JSON has a no-op for every resource, and
   the moved ones carry their old address; the text says "has moved to" for each.
2. `apply` of that plan records the moves; the next `plan -detailed-exitcode` exits 0.

Git and the commit are required: without them the test fails, saying so.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from lmsops import environment, roots, toolchain

# main before issue 13's module split (the last commit with the inline certificate and cluster).
PRE_CHANGE_COMMIT = "dd332adbacedc90c61fd68c57008580657f1093e"

BACKEND_MOVES = {
    "module.alb.aws_acm_certificate.this": "module.alb.module.certificate.aws_acm_certificate.this",
    "module.alb.aws_acm_certificate_validation.this": (
        "module.alb.module.certificate.aws_acm_certificate_validation.this"
    ),
    'module.alb.aws_route53_record.validation["api.dev.acme-lms.com"]': (
        'module.alb.module.certificate.aws_route53_record.validation["api.dev.acme-lms.com"]'
    ),
    "module.service.aws_ecs_cluster.this": "module.cluster.aws_ecs_cluster.this",
}
SITE = "site.example-lms.com"  # modules/s3-website/examples/basic's default domain
SITE_VARS = ["-var", "enable_cloudfront=true", "-var", "force_destroy=true"]
# The site's certificate gains the Name tag alb-https's always had (modules/acm-certificate
# README, "Reconciled"): an update in place, the one change the migration brings.
SITE_CERTIFICATE = "module.site.module.certificate[0].aws_acm_certificate.this"
SITE_UPDATES = {SITE_CERTIFICATE: {"tags", "tags_all"}}
SITE_MOVES = {
    "module.site.aws_acm_certificate.site[0]": (
        "module.site.module.certificate[0].aws_acm_certificate.this"
    ),
    "module.site.aws_acm_certificate_validation.site[0]": (
        "module.site.module.certificate[0].aws_acm_certificate_validation.this"
    ),
    f'module.site.aws_route53_record.certificate_validation["{SITE}"]': (
        f'module.site.module.certificate[0].aws_route53_record.validation["{SITE}"]'
    ),
}


def old_layout(dest: Path) -> Path:
    """The Terraform trees of PRE_CHANGE_COMMIT, extracted into DEST."""
    if shutil.which("git") is None:
        pytest.fail("git is not on PATH: the migration test needs it to read the old layout")
    proc = subprocess.run(
        ["git", "-C", str(toolchain.REPO_ROOT), "archive", "--format=tar", PRE_CHANGE_COMMIT]
        + [top for top in roots.COPIED_TOP_DIRS if top != "tests/fixtures"],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"git archive {PRE_CHANGE_COMMIT} failed (a shallow clone lacks the commit; "
            f"fetch it with `git fetch --unshallow`): {proc.stderr.decode().strip()}"
        )
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as archive:
        archive.extractall(dest, filter="data")
    return dest


def planned_moves(root: roots.Root, var_args: list[str]) -> tuple[int, str, dict]:
    """Plan ROOT into a file: (exit code of -detailed-exitcode, text, plan JSON)."""
    planfile = root.path / "migration.tfplan"
    proc = root.plan(out=planfile, var_args=var_args, detailed_exitcode=True)
    plan = json.loads(root.tf("show", "-json", str(planfile)).stdout)
    return proc.returncode, proc.stdout, plan


def changed_attributes(change: dict) -> set[str]:
    before, after = change["before"] or {}, change["after"] or {}
    unknown = change.get("after_unknown") or {}
    return {
        k
        for k in before.keys() | after.keys()
        if before.get(k) != after.get(k) or unknown.get(k) is True
    }


def assert_only_moves(
    code: int, text: str, plan: dict, expected: dict[str, str], updates: dict | None = None
) -> None:
    """Nothing is created, replaced or destroyed; EXPECTED are the moves (old -> new).

    UPDATES maps an address to the attributes it may update in place (and nothing else).
    """
    assert code == 2, f"a plan of moves reports changes (exit 2); got {code}:\n{text}"
    changes = {c["address"]: c["change"] for c in plan["resource_changes"]}
    changed = {a: c["actions"] for a, c in changes.items() if c["actions"] != ["no-op"]}
    updated = {a: changed_attributes(changes[a]) for a in changed}
    allowed = updates or {}
    assert {a: ["update"] for a in allowed} == changed, (
        f"the migration may change nothing but addresses (and update {allowed}):\n{text}"
    )
    assert updated == allowed, text
    moved = {
        c["previous_address"]: c["address"]
        for c in plan["resource_changes"]
        if c.get("previous_address")
    }
    assert moved == expected, text
    for old, new in expected.items():
        # A move that also updates is shown as an update "(moved from OLD)".
        updated_move = f"# {new} will be updated in-place\n  # (moved from {old})" in text
        assert f"# {old} has moved to {new}" in text or updated_move, text
    assert f"Plan: 0 to add, {len(allowed)} to change, 0 to destroy." in text


def apply_moves_and_replan(root: roots.Root, var_args: list[str]) -> None:
    """Apply the saved plan of moves; afterwards the plan is empty (exit 0)."""
    root.tf("apply", "-no-color", "-input=false", str(root.path / "migration.tfplan"))
    proc = root.plan(var_args=var_args, detailed_exitcode=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No changes." in proc.stdout


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> tuple[Path, Path]:
    """(old layout from PRE_CHANGE_COMMIT, copy of the working tree)."""
    work = tmp_path_factory.mktemp("migration")
    return old_layout(work / "old"), roots.copy_repo(work / "new")


def test_old_layout_is_the_one_with_inline_certificate_and_cluster(layouts):
    old, new = layouts
    assert "aws_ecs_cluster" in (old / "modules/ecs-service/cluster.tf").read_text()
    assert (
        'resource "aws_acm_certificate"' in (old / "modules/alb-https/certificate.tf").read_text()
    )
    assert not (old / "modules/acm-certificate").exists()
    assert (new / "modules/acm-certificate/main.tf").is_file()
    assert (new / "modules/ecs-cluster/main.tf").is_file()


def test_without_git_or_the_commit_the_test_fails_saying_why(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "PRE_CHANGE_COMMIT", "0" * 40)
    with pytest.raises(pytest.fail.Exception, match="git fetch --unshallow"):
        old_layout(tmp_path / "missing-commit")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pytest.fail.Exception, match="git is not on PATH"):
        old_layout(tmp_path / "no-git")


def test_backend_state_moves_to_the_certificate_and_cluster_modules(
    layouts, bootstrapped, tmp_path_factory
):
    old, new = layouts
    work = tmp_path_factory.mktemp("migration-backend")
    before = environment.live_root(old, "dev", "backend", work / "old")
    after = environment.live_root(new, "dev", "backend", work / "new")
    owner = before  # whichever layout last wrote the state destroys it
    try:
        environment.apply_live(before, bootstrapped.backend_config)
        after.init(backend_config=bootstrapped.backend_config)
        owner = after
        code, text, plan = planned_moves(after, [])
        assert_only_moves(code, text, plan, BACKEND_MOVES)
        apply_moves_and_replan(after, [])
    finally:
        owner.destroy()


def test_cloudfront_certificate_state_moves_to_the_certificate_module(
    layouts, emulator, tmp_path_factory
):
    old, new = layouts
    work = tmp_path_factory.mktemp("migration-site")
    example = Path("modules/s3-website/examples/basic")
    before = roots.Root(old / example, data_dir=work / "old")
    after = roots.Root(new / example, data_dir=work / "new")
    owner = before
    try:
        before.init()
        before.apply(var_args=SITE_VARS)
        shutil.copy(before.path / "terraform.tfstate", after.path / "terraform.tfstate")
        after.init()
        owner = after
        code, text, plan = planned_moves(after, SITE_VARS)
        assert_only_moves(code, text, plan, SITE_MOVES, SITE_UPDATES)
        (change,) = [
            c["change"] for c in plan["resource_changes"] if c["address"] == SITE_CERTIFICATE
        ]
        assert change["after"]["tags"] == {**change["before"]["tags"], "Name": SITE}
        apply_moves_and_replan(after, SITE_VARS)
    finally:
        owner.destroy(var_args=SITE_VARS)
