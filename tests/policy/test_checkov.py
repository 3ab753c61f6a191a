"""checkov: zero failed checks on every module and on every live root's plan."""

import json
from concurrent.futures import ThreadPoolExecutor

import checkov_runner
import pytest

from lmsops import environment, roots, toolchain

REPO = toolchain.REPO_ROOT
LIVE = roots.live_roots()
NO_REASON = ("", "No comment provided")


def assert_clean(report: checkov_runner.Report) -> None:
    assert report.passed > 0, "checkov evaluated nothing"
    assert not report.failed, "checkov failures:\n" + "\n".join(report.failed)
    unexplained = [s for s in report.skip_reasons if s.split(": ", 1)[1].strip() in NO_REASON]
    assert not unexplained, "skips without a reason:\n" + "\n".join(unexplained)


def test_terraform_code_passes_checkov():
    args = ["--framework", "terraform", "-d", "modules", "-d", "bootstrap", "-d", "live"]
    assert_clean(checkov_runner.run_checkov(args, REPO))


@pytest.fixture(scope="module")
def hosted_zones(emulator) -> list[str]:
    """The zones live roots look up while planning (no bootstrap apply needed)."""
    return environment.create_hosted_zones(environment.live_zone_names())


@pytest.fixture(scope="module")
def live_plan_files(hosted_zones, tmp_path_factory):
    """Plan JSON of every live root (planned in parallel on one copy of the repo)."""
    copy = roots.copy_repo(tmp_path_factory.mktemp("policy-repo"))
    out_dir = tmp_path_factory.mktemp("plans")

    def plan(root_path):
        rel = root_path.relative_to(REPO)
        root = roots.Root(copy / rel)
        root.use_local_backend()
        root.init()
        target = out_dir / ("-".join(rel.parts) + ".json")
        target.write_text(json.dumps(root.plan_json()))
        return target

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(plan, LIVE))


def test_every_live_root_plan_passes_checkov(live_plan_files):
    assert len(live_plan_files) == len(LIVE) >= 4
    args = ["--framework", "terraform_plan", "--repo-root-for-plan-enrichment", str(REPO)]
    for plan_file in live_plan_files:
        args += ["-f", str(plan_file)]
    assert_clean(checkov_runner.run_checkov(args, REPO))


def test_checkov_failures_are_reported(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "open" {\n  bucket = "x"\n}\n')
    report = checkov_runner.run_checkov(["--framework", "terraform", "-d", str(tmp_path)], tmp_path)
    assert report.failed, "an unencrypted, unlogged bucket should fail checkov"
