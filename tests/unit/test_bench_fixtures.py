"""The scale section's generated fixture root and the feedback section's tier commands."""

import pytest

from bench import feedback, scale
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


def test_overhead_ratio_divides_by_folders_times_floor():
    assert feedback.overhead_ratio(60.0, 20, 2.0) == 1.5


def test_tier_outcome_names_the_failing_logs(tmp_path):
    ok = feedback.TierRun("lint", 1.0, 0, tmp_path / "lint.log")
    bad = feedback.TierRun("unit", 2.0, 1, tmp_path / "unit.log")
    assert feedback.outcome([ok]) == "passed"
    assert feedback.outcome([ok, bad]) == "exit 1, see unit.log"


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
    note = feedback.slowest_note([feedback.TierRun("unit", 95.0, 0, log)])
    assert note.startswith("Slowest tests (last round): unit: `test_dev_settings` setup 45 s, ")


def test_feedback_headline_has_total_and_ratio(tmp_path):
    rounds = [[feedback.TierRun(t, 10.0, 0, tmp_path / f"{t}.log") for t in feedback.TIERS]]
    line = feedback.headline(rounds, folders=10, floor_seconds=2.0)
    assert "30 s median (target < 45 s); overhead ratio 1.50 over 10 folders" in line
