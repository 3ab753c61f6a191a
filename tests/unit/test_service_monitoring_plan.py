"""Plan assertions for modules/service-monitoring (its examples/basic root, on a copy)."""

from __future__ import annotations

import json

import pytest
from inventory import Scenario
from plan_helpers import one, resources_by_type

EXAMPLE = "modules/service-monitoring/examples/basic"
LB = "app/lms-example-backend/0123456789abcdef"
TG = "targetgroup/lmsexa20250101/0123456789abcdef"
NAME = "lms-example-backend"
ECS_DIMENSIONS = {"ClusterName": NAME, "ServiceName": NAME}
TUNED = {
    "period_seconds": 300,
    "evaluation_periods": 5,
    "tasks_below_desired_evaluation_periods": 12,
    "elb_5xx_rate_percent": 3,
    "target_5xx_rate_percent": 4,
    "cpu_utilization_percent": 80,
    "memory_utilization_percent": 90,
    "kms_deletion_window_days": 7,
    "response_time_statistic": "p95",
    "response_time_threshold_seconds": 0.5,
    "notification_emails": ["oncall@example.com", "lead@example.com"],
    "request_count_target_value": None,
}

INVENTORY = [
    Scenario("service_monitoring_default", EXAMPLE),
    # A null leaves the example's default in place, as an unset -var would.
    Scenario(
        "service_monitoring_tuned", EXAMPLE, {k: v for k, v in TUNED.items() if v is not None}
    ),
]


@pytest.fixture(scope="module")
def default_plan(inventory):
    return inventory.plan("service_monitoring_default")


@pytest.fixture(scope="module")
def tuned_plan(inventory):
    return inventory.plan("service_monitoring_tuned")


def alarms(plan_output) -> dict[str, dict]:
    return {
        a["alarm_name"]: a for a in resources_by_type(plan_output, "aws_cloudwatch_metric_alarm")
    }


def queries(alarm: dict) -> dict[str, dict]:
    return {q["id"]: q for q in alarm["metric_query"]}


def test_seven_alarms_notify_the_encrypted_topic_on_alarm_and_ok(default_plan):
    found = alarms(default_plan)
    suffixes = {
        "elb-5xx-rate",
        "target-5xx-rate",
        "target-response-time",
        "unhealthy-hosts",
        "cpu-high",
        "memory-high",
        "tasks-below-desired",
    }
    assert set(found) == {f"{NAME}-{suffix}" for suffix in suffixes}
    topic = one(default_plan, "aws_sns_topic")
    assert topic["name"] == f"{NAME}-alarms"
    # The topic's key is the module's own customer managed key (CloudWatch may use it).
    topic_config = default_plan.configuration["root_module"]["module_calls"]["monitoring"]
    topic_expr = next(
        r for r in topic_config["module"]["resources"] if r["address"] == "aws_sns_topic.alarms"
    )["expressions"]["kms_master_key_id"]
    assert "aws_kms_key.alarms.arn" in topic_expr["references"]
    for alarm in found.values():
        assert alarm["comparison_operator"] == "GreaterThanThreshold"
        assert alarm["treat_missing_data"] == "notBreaching"
        assert alarm["datapoints_to_alarm"] == alarm["evaluation_periods"]
    # Every alarm notifies the topic (its ARN is known after apply), going off and back to OK.
    for address, change in default_plan.resource_changes.items():
        if change["type"] == "aws_cloudwatch_metric_alarm":
            unknown = change["change"]["after_unknown"]
            # The list is unknown as a whole until the topic exists; an empty list would be known.
            assert unknown.get("alarm_actions") is True, address
            assert unknown.get("ok_actions") is True, address
    config = topic_config["module"]["resources"]
    for alarm in (r for r in config if r["type"] == "aws_cloudwatch_metric_alarm"):
        for actions in ("alarm_actions", "ok_actions"):
            assert alarm["expressions"][actions]["references"] == ["local.notification_arns"]


def test_kms_key_rotates_and_lets_cloudwatch_of_this_account_encrypt(default_plan):
    key = one(default_plan, "aws_kms_key")
    assert key["enable_key_rotation"] is True
    policy = json.loads(key["policy"])
    cloudwatch = next(s for s in policy["Statement"] if s["Principal"].get("Service"))
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert sorted(cloudwatch["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert list(cloudwatch["Condition"]["StringEquals"]) == ["aws:SourceAccount"]
    # Only the account itself administers the key: no other principal gets kms:*.
    (admin,) = [s for s in policy["Statement"] if s["Action"] == "kms:*"]
    assert admin["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert admin["Effect"] == "Allow"
    assert key["deletion_window_in_days"] == 30
    assert one(default_plan, "aws_kms_alias")["name"] == f"alias/{NAME}-alarms"
    # The alias names this key, not another one of the account (unknown until apply).
    (alias,) = configured(default_plan.configuration["root_module"], "aws_kms_alias.alarms")
    assert "aws_kms_key.alarms" in alias["expressions"]["target_key_id"]["references"]


def configured(module: dict, address: str) -> list[dict]:
    """The configuration of the resources at ADDRESS in MODULE and every module it calls."""
    found = [r for r in module.get("resources", []) if r["address"] == address]
    for call in module.get("module_calls", {}).values():
        found += configured(call.get("module", {}), address)
    return found


def test_5xx_rates_divide_errors_by_requests_of_the_same_dimensions(default_plan):
    found = alarms(default_plan)
    expected = {
        "elb-5xx-rate": ("HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB}),
        "target-5xx-rate": ("HTTPCode_Target_5XX_Count", {"LoadBalancer": LB, "TargetGroup": TG}),
    }
    for suffix, (metric, dimensions) in expected.items():
        alarm = found[f"{NAME}-{suffix}"]
        by_id = queries(alarm)
        assert by_id["rate"]["expression"] == "100 * FILL(errors, 0) / requests"
        assert by_id["rate"]["return_data"] is True
        (errors,) = by_id["errors"]["metric"]
        (requests,) = by_id["requests"]["metric"]
        assert (errors["metric_name"], errors["dimensions"], errors["stat"]) == (
            metric,
            dimensions,
            "Sum",
        )
        assert (requests["metric_name"], requests["dimensions"]) == ("RequestCount", dimensions)
        assert (requests["stat"], errors["period"], requests["period"]) == ("Sum", 60, 60)
        assert all(
            q["metric"][0]["namespace"] == "AWS/ApplicationELB"
            for q in (by_id["errors"], by_id["requests"])
        )
        assert alarm["threshold"] == 5
        assert alarm["evaluation_periods"] == 3


def test_latency_unhealthy_cpu_memory_alarms_watch_their_metric(default_plan):
    found = alarms(default_plan)
    latency = found[f"{NAME}-target-response-time"]
    assert (latency["metric_name"], latency["extended_statistic"]) == ("TargetResponseTime", "p99")
    assert latency["dimensions"] == {"LoadBalancer": LB, "TargetGroup": TG}
    assert latency["threshold"] == 1
    unhealthy = found[f"{NAME}-unhealthy-hosts"]
    assert (unhealthy["metric_name"], unhealthy["statistic"]) == ("UnHealthyHostCount", "Maximum")
    assert unhealthy["threshold"] == 0
    for suffix, metric in (("cpu-high", "CPUUtilization"), ("memory-high", "MemoryUtilization")):
        alarm = found[f"{NAME}-{suffix}"]
        assert (alarm["namespace"], alarm["metric_name"]) == ("AWS/ECS", metric)
        assert alarm["dimensions"] == ECS_DIMENSIONS
        assert alarm["statistic"] == "Average"
        assert alarm["threshold"] == 85
    for alarm in (latency, unhealthy, found[f"{NAME}-cpu-high"], found[f"{NAME}-memory-high"]):
        assert alarm["period"] == 60
        assert alarm["evaluation_periods"] == 3


def test_tasks_below_desired_compares_container_insights_counts(default_plan):
    alarm = alarms(default_plan)[f"{NAME}-tasks-below-desired"]
    by_id = queries(alarm)
    assert by_id["missing"]["expression"] == "desired - running"
    for query_id, metric in (("desired", "DesiredTaskCount"), ("running", "RunningTaskCount")):
        (spec,) = by_id[query_id]["metric"]
        assert (spec["namespace"], spec["metric_name"]) == ("ECS/ContainerInsights", metric)
        assert spec["dimensions"] == ECS_DIMENSIONS
        assert (spec["stat"], spec["period"]) == ("Average", 60)
    assert alarm["evaluation_periods"] == 10
    assert alarm["threshold"] == 0


def test_deployment_alarms_are_the_revision_is_bad_ones(default_plan):
    assert default_plan.outputs["deployment_alarm_names"] == [
        f"{NAME}-elb-5xx-rate",
        f"{NAME}-target-5xx-rate",
        f"{NAME}-unhealthy-hosts",
    ]


def test_dashboard_draws_request_count_per_target_next_to_the_scaling_target(default_plan):
    dashboard = one(default_plan, "aws_cloudwatch_dashboard")
    assert dashboard["dashboard_name"] == NAME
    widgets = json.loads(dashboard["dashboard_body"])["widgets"]
    by_title = {w["properties"]["title"]: w["properties"] for w in widgets}
    per_target = by_title["Request count per target and the autoscaling target"]
    assert per_target["metrics"][0][:2] == ["AWS/ApplicationELB", "RequestCountPerTarget"]
    assert per_target["annotations"]["horizontal"] == [
        {"label": "autoscaling target", "value": 500}
    ]
    drawn = {
        tuple(m[:2]) for w in widgets if w["type"] == "metric" for m in w["properties"]["metrics"]
    }
    assert {
        ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"),
        ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"),
        ("AWS/ApplicationELB", "TargetResponseTime"),
        ("AWS/ApplicationELB", "UnHealthyHostCount"),
        ("AWS/ECS", "CPUUtilization"),
        ("AWS/ECS", "MemoryUtilization"),
        ("ECS/ContainerInsights", "RunningTaskCount"),
        ("ECS/ContainerInsights", "DesiredTaskCount"),
    } <= drawn
    assert [w["type"] for w in widgets].count("alarm") == 1


def test_no_email_subscription_by_default(default_plan):
    assert resources_by_type(default_plan, "aws_sns_topic_subscription") == []


def test_thresholds_periods_and_emails_follow_the_inputs(tuned_plan):
    found = alarms(tuned_plan)
    latency = found[f"{NAME}-target-response-time"]
    assert (latency["extended_statistic"], latency["threshold"]) == ("p95", 0.5)
    assert {a["evaluation_periods"] for n, a in found.items() if "tasks-below" not in n} == {5}
    # Each threshold from its own input (the defaults of some are equal).
    thresholds = {name.removeprefix(f"{NAME}-"): a["threshold"] for name, a in found.items()}
    assert thresholds == {
        "elb-5xx-rate": 3,
        "target-5xx-rate": 4,
        "target-response-time": 0.5,
        "unhealthy-hosts": 0,
        "cpu-high": 80,
        "memory-high": 90,
        "tasks-below-desired": 0,
    }
    assert found[f"{NAME}-tasks-below-desired"]["evaluation_periods"] == 12
    periods = {a.get("period") for a in found.values() if a.get("metric_name")}
    periods |= {
        q["metric"][0]["period"] for a in found.values() for q in a["metric_query"] if q["metric"]
    }
    assert periods == {300}
    assert one(tuned_plan, "aws_kms_key")["deletion_window_in_days"] == 7
    subscriptions = resources_by_type(tuned_plan, "aws_sns_topic_subscription")
    assert sorted((s["protocol"], s["endpoint"]) for s in subscriptions) == [
        ("email", "lead@example.com"),
        ("email", "oncall@example.com"),
    ]
