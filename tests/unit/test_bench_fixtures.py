"""The scale section's fixture root; the feedback section's tiers, Terraform shim and ratio."""

import os
import subprocess

import pytest

from bench import feedback, scale, tfshim
from lmsops import toolchain

MAIN_TF = """\
locals {
  name = "lms-${var.environment}-backend"
}

module "alb" {
  source = "../../../modules/alb-https"

  name                      = local.name
  domain_name               = var.domain_name
  service_security_group_id = module.service.security_group_id
  tags                      = { Component = "backend" }
}

module "service" {
  source = "../../../modules/ecs-service"

  name             = local.name
  target_group_arn = module.alb.target_group_arn
  log_name         = "${local.name}-logs"
}
"""


def test_one_stack_is_the_root_unchanged():
    assert scale.compose(MAIN_TF, 1) == MAIN_TF


def test_each_extra_stack_renames_labels_references_name_and_domain():
    text = scale.compose(MAIN_TF, 3)
    labels = [m.group("label") for m in scale.module_blocks(text)]
    assert labels == ["alb", "service", "alb_s2", "service_s2", "alb_s3", "service_s3"]
    third_alb = scale.module_blocks(text)[4].group(0)
    assert 'name                      = "${local.name}-s3"' in third_alb
    assert 'domain_name               = "s3.${var.domain_name}"' in third_alb
    assert "module.service_s3.security_group_id" in third_alb
    third_service = scale.module_blocks(text)[5].group(0)
    assert "module.alb_s3.target_group_arn" in third_service
    # an interpolation that already holds local.name is left as it is
    assert '"${local.name}-logs"' in third_service


def test_a_root_without_module_calls_cannot_be_scaled():
    with pytest.raises(ValueError, match="no module calls"):
        scale.compose("locals {}\n", 4)


def test_fixture_is_written_beside_the_source_root(tmp_path):
    source = tmp_path / scale.SOURCE_ROOT
    source.mkdir(parents=True)
    (source / "main.tf").write_text(MAIN_TF)
    (source / "terraform.tfvars").write_text('region = "us-east-1"\n')
    target = scale.write_fixture(tmp_path, 4)
    assert target.parent == source.parent
    assert (target / "terraform.tfvars").read_text() == 'region = "us-east-1"\n'
    assert len(scale.module_blocks((target / "main.tf").read_text())) == 8


def test_planned_resources_are_counted_from_the_plan_summary():
    assert scale.planned_count("...\nPlan: 28 to add, 1 to change, 2 to destroy.\n") == 31
    assert scale.planned_count("No changes. Your infrastructure matches the configuration.") == 0


TOX_INI = """\
[testenv]
commands =
    pytest tests/{env_name} {posargs}

[testenv:unit]
commands =
    pytest tests/unit -n 2 --dist loadfile {posargs}
"""


def test_tier_commands_come_from_tox_ini():
    assert feedback.tier_command(TOX_INI, "lint") == ["tests/lint"]
    assert feedback.tier_command(TOX_INI, "unit") == [
        "tests/unit",
        "-n",
        "2",
        "--dist",
        "loadfile",
    ]


def test_the_repository_tox_ini_gives_a_pytest_command_per_tier():
    text = (toolchain.REPO_ROOT / "tox.ini").read_text()
    for tier in feedback.TIERS:
        assert feedback.tier_command(text, tier)[0] == f"tests/{tier}"


def test_a_tier_that_is_not_pytest_is_refused():
    with pytest.raises(ValueError, match="does not run pytest"):
        feedback.tier_command("[testenv]\ncommands = make test\n", "lint")


def test_ratio_divides_the_total_by_roots_planned_times_the_floor():
    assert feedback.overhead_ratio(60.0, 20, 2.0) == 1.5
    assert feedback.overhead_ratio(60.0, 4, 3.0) == 5.0


def test_ratio_of_nothing_planned_is_not_a_number():
    assert feedback.overhead_ratio(60.0, 0, 2.0) is None
    assert feedback.ratio_text(None) == "n/a (no plan counted)"


def test_tier_outcome_names_the_failing_logs(tmp_path):
    ok = feedback.TierRun("lint", 1.0, 0, tmp_path / "lint.log")
    bad = feedback.TierRun("unit", 2.0, 1, tmp_path / "unit.log")
    assert feedback.outcome([ok]) == "passed"
    assert feedback.outcome([ok, bad]) == "exit 1, see unit.log"


def test_a_failed_tier_is_noted_with_its_failing_tests_read_from_its_log(tmp_path):
    (tmp_path / "unit.log").write_text(
        "..F.\nFAILED tests/unit/test_a.py::test_b - AssertionError: x\n1 failed, 3 passed\n"
    )
    (tmp_path / "policy.log").write_text("collecting ...\nINTERNALERROR> boom\n\n")
    ok = feedback.TierRun("lint", 1.0, 0, tmp_path / "lint.log")
    unit = feedback.TierRun("unit", 2.0, 1, tmp_path / "unit.log")
    policy = feedback.TierRun("policy", 2.0, 3, tmp_path / "policy.log", "warm")
    assert feedback.failure_note([ok]) is None
    assert feedback.failure_note([ok, unit, policy]) == (
        "Failed: unit cold (exit 1): `FAILED tests/unit/test_a.py::test_b - AssertionError: x`"
        " | policy warm (exit 3): `INTERNALERROR> boom`."
    )


PYTEST_TAIL = """\
============================= slowest 3 durations ==============================
45.10s setup    tests/unit/test_backend_root_plan.py::test_dev_settings
12.00s call     tests/unit/test_validate.py::test_terraform_validate[live/dev/backend]
3.50s teardown tests/unit/test_emulator_server.py::test_stop
288 passed in 95.00s (0:01:35)
"""


def test_slowest_tests_are_read_from_the_durations_report():
    assert feedback.slowest_tests(PYTEST_TAIL)[:2] == [
        (45.1, "setup", "tests/unit/test_backend_root_plan.py::test_dev_settings"),
        (12.0, "call", "tests/unit/test_validate.py::test_terraform_validate[live/dev/backend]"),
    ]


def test_slowest_note_names_tests_per_tier(tmp_path):
    log = tmp_path / "unit.log"
    log.write_text(PYTEST_TAIL)
    note = feedback.slowest_note([feedback.TierRun("unit", 95.0, 0, log)], "last round, cold")
    assert note.startswith(
        "Slowest tests (last round, cold): unit: `test_dev_settings` setup 45 s, "
    )


def a_round(tmp_path, cold=10.0, warm=3.0, planned=("/a", "/b")):
    """One round: every tier takes COLD s cold and WARM s warm; unit plans PLANNED cold."""

    def use(tier, phase):
        if tier == "unit" and phase == "cold":
            return tfshim.TerraformUse(frozenset(planned), {"plan": len(planned)})
        return tfshim.TerraformUse()

    return {
        phase: [
            feedback.TierRun(t, spent, 0, tmp_path / f"{t}.log", phase, use(t, phase))
            for t in feedback.TIERS
        ]
        for phase, spent in (("cold", cold), ("warm", warm))
    }


def test_feedback_headline_has_cold_warm_roots_planned_and_ratio(tmp_path):
    line = feedback.headline([a_round(tmp_path)], floor_plan=3.0)
    assert "cold 30 s (target < 45 s), warm 9.0 s;" in line
    assert "2 Terraform roots planned cold; ratio 5.00 = cold / (2 x 3.0 s" in line


def test_roots_planned_is_the_lower_median_of_the_cold_rounds(tmp_path):
    rounds = [
        a_round(tmp_path, planned=("/a",)),
        a_round(tmp_path, planned=("/a", "/b", "/c")),
        a_round(tmp_path, planned=("/a", "/b")),
        a_round(tmp_path, planned=("/a", "/b", "/c", "/d")),
    ]
    assert feedback.roots_planned(rounds) == 2
    assert feedback.roots_planned(rounds, "warm") == 0


def test_verdict_compares_the_cold_total_with_45_s_and_the_ratio_with_1_5(tmp_path):
    floors = feedback.Floors(plan=3.0, validate=2.0, folders=23)
    rows = {row[0]: row[1:] for row in feedback.verdict_table([a_round(tmp_path)], floors).rows}
    assert rows["cold: tiers together (median)"] == ["30 s", "< 45 s", "yes"]
    assert rows["ratio = cold / (2 roots planned x floor plan)"] == ["5.00", "< 1.5", "no"]
    earlier = rows["earlier definition: cold / (23 folders x floor validate 2.0 s)"]
    assert earlier[0] == "0.65"


def test_tier_env_puts_the_shim_first_and_every_cache_in_the_rounds_folder(tmp_path):
    base = {"PATH": "/usr/bin:/bin", "LMSOPS_CACHE_DIR": "/home/me/.lmsops", "HOME": "/h"}
    env = feedback.tier_env(base, tmp_path / "shim", tmp_path / "unit.tsv", tmp_path / "c")
    assert env["PATH"] == f"{tmp_path / 'shim'}{os.pathsep}/usr/bin:/bin"
    assert env["LMSOPS_CACHE_DIR"] == str(tmp_path / "c" / "lmsops")
    assert env["MYPY_CACHE_DIR"] == str(tmp_path / "c" / "mypy")
    assert env["RUFF_CACHE_DIR"] == str(tmp_path / "c" / "ruff")
    assert env[tfshim.LOG_ENV] == str(tmp_path / "unit.tsv")
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["HOME"] == "/h" and base["LMSOPS_CACHE_DIR"] == "/home/me/.lmsops"


SHIM_LOG = """/tmp/inv/scenarios	init
/tmp/inv/scenarios	plan
/tmp/inv/scenarios	show

/tmp/inv/failures	plan
/tmp/inv/failures	plan
/repo/modules/alb-https	validate
/repo	fmt
/repo	-version
"""


def test_shim_log_gives_roots_planned_and_processes_per_subcommand():
    use = tfshim.parse_log(SHIM_LOG)
    assert use.roots_planned == 2  # a root planned twice counts once
    assert [use.count(sub) for sub in tfshim.COUNTED] == [1, 3, 1, 1]
    assert use.others() == {"-version": 1, "fmt": 1}


def test_logs_of_several_tiers_add_processes_and_count_a_root_once():
    unit = tfshim.parse_log("/r/a\tplan\n/r/b\tplan\n")
    policy = tfshim.parse_log("/r/b\tplan\n/r/c\tinit\n")
    together = tfshim.combine([unit, policy])
    assert together.roots_planned == 2
    assert together.processes == {"plan": 3, "init": 1}


def test_a_missing_shim_log_means_no_terraform_process(tmp_path):
    use = tfshim.read_log(tmp_path / "none.tsv")
    assert use.roots_planned == 0 and use.processes == {}


def test_terraform_row_names_the_other_subcommands():
    row = feedback.terraform_row("lint", "cold", tfshim.parse_log(SHIM_LOG))
    assert row == ["lint", "cold", "2", "1", "3", "1", "1", "2 (-version 1, fmt 1)"]


def test_the_shim_logs_directory_and_subcommand_then_runs_the_real_binary(tmp_path):
    real = tmp_path / "real-terraform"
    real.write_text('#!/bin/sh\necho "real $*"\nexit 3\n')
    real.chmod(0o755)
    shim_dir = tfshim.install(tmp_path / "shim", str(real), tmp_path / "default.tsv")
    (tmp_path / "root").mkdir()
    # Run inside the bench itself, the environment already names a log: drop it here.
    inherited = {k: v for k, v in os.environ.items() if k != tfshim.LOG_ENV}
    env = {**inherited, "PATH": f"{shim_dir}{os.pathsep}{os.environ['PATH']}"}

    def terraform(*args, **extra):
        return subprocess.run(
            ["terraform", *args],
            cwd=tmp_path,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=False,
        )

    proc = terraform("-chdir=root", "plan", "-out=x", **{tfshim.LOG_ENV: str(tmp_path / "t.tsv")})
    assert (proc.returncode, proc.stdout) == (3, "real -chdir=root plan -out=x\n")
    assert (tmp_path / "t.tsv").read_text() == f"{tmp_path / 'root'}\tplan\n"
    terraform("version")  # no log named: the default log
    assert (tmp_path / "default.tsv").read_text() == f"{tmp_path}\tversion\n"
