"""Machine description of a benchmark run and the rollout table rows."""

from bench import machine, rollout, rollout_section
from lmsops import environment


def test_cpu_model_and_memory_are_read_from_proc_files(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: fpu\n")
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24641536 kB\nMemFree:  1 kB\n")
    assert machine.cpu_model(cpuinfo) == "AMD EPYC 7B13"
    assert machine.memory_gib(meminfo) == "23.5 GiB"


def test_missing_proc_files_give_a_placeholder(tmp_path):
    assert machine.memory_gib(tmp_path / "absent") == "unknown"
    assert machine.cpu_model(tmp_path / "absent")  # falls back to platform, never raises


def test_rollout_row_shows_each_term_the_total_and_the_verdict():
    row = rollout_section.row("live/dev/backend", rollout.RolloutSettings(10, 2, 30, 30), 90, 80)
    assert row == [
        "live/dev/backend",
        "10 s x 2 = 20 s",
        "30 s",
        "30 s",
        "**80 s**",
        "80 s",
        "< 90 s",
        "yes",
    ]


def test_rollout_row_of_a_slow_root_misses_its_target():
    row = rollout_section.row("live/prod/backend", rollout.RolloutSettings(15, 3, 30, 60), 120)
    assert row[4:] == ["**135 s**", "", "< 120 s", "no"]


def test_declared_output_is_read_when_known_at_plan_time():
    plan = {"planned_values": {"outputs": {"rolling_deploy_worst_case_seconds": {"value": 80}}}}
    assert rollout.declared_output(plan, "rolling_deploy_worst_case_seconds") == 80
    assert rollout.declared_output({}, "rolling_deploy_worst_case_seconds") is None


def test_zone_names_are_collected_once_from_the_live_tfvars(tmp_path):
    for env, zone in (("dev", "acme-lms.com"), ("prod", "acme-lms.com"), ("qa", "other.org")):
        root = tmp_path / "live" / env / "backend"
        root.mkdir(parents=True)
        (root / "terraform.tfvars").write_text(f'region    = "us-east-1"\nzone_name = "{zone}"\n')
    assert environment.live_zone_names(tmp_path) == ["acme-lms.com", "other.org"]
