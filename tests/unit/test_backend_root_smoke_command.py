"""`lmsops smoke`: argument handling and output reading, without AWS."""

from __future__ import annotations

import json

import pytest

from lmsops import cli, environment, smoke
from lmsops.errors import UserError
from lmsops.smoke.backend import REQUIRED_OUTPUTS, check_backend, rule_key


def test_outputs_file_accepts_terraform_output_json_and_plain_values(tmp_path):
    terraform_format = tmp_path / "tf.json"
    terraform_format.write_text(json.dumps({"cluster_name": {"value": "c", "type": "string"}}))
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"cluster_name": "c"}))
    assert environment.read_outputs_file(terraform_format) == {"cluster_name": "c"}
    assert environment.read_outputs_file(plain) == {"cluster_name": "c"}


def test_outputs_file_that_is_not_an_object_is_a_user_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(UserError, match="JSON object"):
        environment.read_outputs_file(bad)


def test_missing_outputs_are_named_before_any_aws_call():
    outputs = dict.fromkeys(REQUIRED_OUTPUTS, "x")
    del outputs["target_group_arn"]
    with pytest.raises(UserError, match="target_group_arn"):
        check_backend(outputs, session=object())  # a session would fail if it were used


def test_command_exits_non_zero_when_a_check_fails(tmp_path, monkeypatch, capsys):
    outputs = tmp_path / "outputs.json"
    outputs.write_text("{}")
    failing = [smoke.Check("one", True, "fine"), smoke.Check("two", False, "broken")]
    monkeypatch.setitem(smoke.TARGETS, "backend", lambda _outputs: failing)
    assert cli.main(["smoke", "backend", "--outputs-json", str(outputs)]) == 1
    printed = capsys.readouterr().out
    assert "FAIL  two: broken" in printed
    assert printed.rstrip().endswith("1 passed, 1 failed")


def test_security_group_rules_compare_by_protocol_ports_and_peer():
    by_group = {"IpProtocol": "tcp", "FromPort": 4000, "ToPort": 4000}
    by_group["ReferencedGroupInfo"] = {"GroupId": "sg-1"}
    by_cidr = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "::/0"}
    assert rule_key(by_group) == ("tcp", 4000, 4000, "sg-1")
    assert rule_key(by_cidr) == ("tcp", 443, 443, "::/0")


def test_terraform_errors_are_summarised_without_colours():
    output = "\x1b[31m╷\x1b[0m\n\x1b[31m│\x1b[0m \x1b[1mError: \x1b[0mNo state\n╵\n"
    assert environment.terraform_error_summary(output) == "Error: No state"


def test_the_outputs_file_is_what_the_checks_read(tmp_path, monkeypatch, capsys):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"bucket_name": {"value": "lms-dev-site", "type": "string"}}))
    seen = []

    def check(read):
        seen.append(read)
        return [smoke.Check("bucket", True, read["bucket_name"])]

    monkeypatch.setitem(smoke.TARGETS, "frontend", check)
    assert cli.main(["smoke", "frontend", "--outputs-json", str(outputs)]) == 0
    assert seen == [{"bucket_name": "lms-dev-site"}]
    assert capsys.readouterr().out == "PASS  bucket: lms-dev-site\n1 passed, 0 failed\n"


def test_without_a_file_the_outputs_come_from_the_env_s_live_root(tmp_path, monkeypatch):
    asked = []

    def live_outputs(env_name, component, repo=None, data_dir=None, hint=""):
        asked.append((env_name, component, repo, data_dir, hint))
        return {"bucket_name": "lms-prod-site"}

    seen = []
    monkeypatch.setattr(environment, "live_outputs", live_outputs)
    monkeypatch.setitem(smoke.TARGETS, "frontend", lambda read: seen.append(read) or [])
    argv = ["smoke", "frontend", "--env", "prod", "--repo", str(tmp_path)]
    cli.main([*argv, "--tf-data-dir", str(tmp_path / "tf")])
    assert asked == [
        ("prod", "frontend", tmp_path, tmp_path / "tf", "pass --tf-data-dir or --outputs-json")
    ]
    assert seen == [{"bucket_name": "lms-prod-site"}]


def test_command_exits_zero_when_every_check_passes_and_prints_json_on_request(
    tmp_path, monkeypatch, capsys
):
    outputs = tmp_path / "outputs.json"
    outputs.write_text("{}")
    passing = [smoke.Check("one", True, "fine")]
    monkeypatch.setitem(smoke.TARGETS, "backend", lambda _outputs: passing)
    argv = ["smoke", "backend", "--outputs-json", str(outputs), "--output", "json"]
    assert cli.main(argv) == 0
    assert json.loads(capsys.readouterr().out) == [{"name": "one", "ok": True, "detail": "fine"}]


def test_command_with_no_checks_to_run_fails(tmp_path, monkeypatch, capsys):
    outputs = tmp_path / "outputs.json"
    outputs.write_text("{}")
    monkeypatch.setitem(smoke.TARGETS, "backend", lambda _outputs: [])
    assert cli.main(["smoke", "backend", "--outputs-json", str(outputs)]) == 1
    assert capsys.readouterr().out == "0 passed, 0 failed\n"
