"""Smoke checks of alarms, deployment alarms, dashboard, headers, WAF and access logs.

Each check runs on fake describe responses: one set shaped like a good stack (every check
passes) and, per check, one break of the kind a console edit or a missing apply leaves.
"""

from __future__ import annotations

import copy
import json

import pytest
from botocore.exceptions import ClientError

from lmsops.smoke.backend import BackendSmoke
from lmsops.smoke.backend_readiness import alarm_problems
from lmsops.smoke.checks import run_check

LB_ARN = (
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lms-dev-backend/abc123"
)
TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lmsdev/def456"
LISTENER_ARN = (
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lms-dev-backend/abc123/l1"
)
TOPIC = "arn:aws:sns:us-east-1:123456789012:lms-dev-backend-alarms"
ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/lms-dev-backend/id"
NAME = "lms-dev-backend"
HSTS = "max-age=31536000; includeSubDomains"
LB_DIMS = [{"Name": "LoadBalancer", "Value": "app/lms-dev-backend/abc123"}]
TG_DIMS = [*LB_DIMS, {"Name": "TargetGroup", "Value": "targetgroup/lmsdev/def456"}]
ECS_DIMS = [{"Name": "ClusterName", "Value": NAME}, {"Name": "ServiceName", "Value": NAME}]
KEYS = (
    "elb_5xx_rate",
    "target_5xx_rate",
    "target_response_time",
    "unhealthy_hosts",
    "cpu_high",
    "memory_high",
    "tasks_below_desired",
)
THRESHOLDS = {
    "elb_5xx_rate": 10,
    "target_5xx_rate": 10,
    "target_response_time": 2,
    "unhealthy_hosts": 0,
    "cpu_high": 90,
    "memory_high": 90,
    "tasks_below_desired": 0,
}
DEPLOYMENT_ALARMS = [f"{NAME}-elb-5xx-rate", f"{NAME}-target-5xx-rate", f"{NAME}-unhealthy-hosts"]


def alarm_name(key: str) -> str:
    return f"{NAME}-{key.replace('_', '-')}"


def math_alarm(key, namespace, metrics, dims) -> dict:
    queries = [{"Id": "e1", "Expression": "...", "ReturnData": True}]
    queries += [
        {
            "Id": f"m{i}",
            "MetricStat": {"Metric": {"Namespace": namespace, "MetricName": m, "Dimensions": dims}},
        }
        for i, m in enumerate(metrics)
    ]
    return {"Metrics": queries}


def good_alarms() -> list[dict]:
    shapes = {
        "elb_5xx_rate": math_alarm(
            "", "AWS/ApplicationELB", ["HTTPCode_ELB_5XX_Count", "RequestCount"], LB_DIMS
        ),
        "target_5xx_rate": math_alarm(
            "", "AWS/ApplicationELB", ["HTTPCode_Target_5XX_Count", "RequestCount"], TG_DIMS
        ),
        "target_response_time": {
            "Namespace": "AWS/ApplicationELB",
            "MetricName": "TargetResponseTime",
            "Dimensions": TG_DIMS,
        },
        "unhealthy_hosts": {
            "Namespace": "AWS/ApplicationELB",
            "MetricName": "UnHealthyHostCount",
            "Dimensions": TG_DIMS,
        },
        "cpu_high": {
            "Namespace": "AWS/ECS",
            "MetricName": "CPUUtilization",
            "Dimensions": ECS_DIMS,
        },
        "memory_high": {
            "Namespace": "AWS/ECS",
            "MetricName": "MemoryUtilization",
            "Dimensions": ECS_DIMS,
        },
        "tasks_below_desired": math_alarm(
            "", "ECS/ContainerInsights", ["DesiredTaskCount", "RunningTaskCount"], ECS_DIMS
        ),
    }
    return [
        {
            "AlarmName": alarm_name(key),
            "Threshold": float(THRESHOLDS[key]),
            "ComparisonOperator": "GreaterThanThreshold",
            "AlarmActions": [TOPIC],
            **shape,
        }
        for key, shape in shapes.items()
    ]


GOOD = {
    "alarms": good_alarms(),
    "topic_attributes": {"KmsMasterKeyId": "arn:aws:kms:us-east-1:123456789012:key/k"},
    "service_alarms": {"alarmNames": DEPLOYMENT_ALARMS, "enable": True, "rollback": True},
    "dashboard": {
        "widgets": [
            {
                "type": "metric",
                "properties": {"metrics": [["AWS/ApplicationELB", m, "LoadBalancer", "x"]]},
            }
            for m in (
                "RequestCountPerTarget",
                "HTTPCode_Target_5XX_Count",
                "TargetResponseTime",
                "UnHealthyHostCount",
                "CPUUtilization",
                "MemoryUtilization",
                "RunningTaskCount",
            )
        ]
    },
    "listener_attributes": {
        "routing.http.response.strict_transport_security.header_value": HSTS,
        "routing.http.response.x_content_type_options.header_value": "nosniff",
    },
    "web_acl": {"ARN": ACL},
    "lb_attributes": {"access_logs.s3.enabled": "false", "access_logs.s3.bucket": ""},
}
OUTPUTS = {
    "cluster_name": NAME,
    "service_name": NAME,
    "target_group_arn": TG_ARN,
    "alarm_names": {key: alarm_name(key) for key in KEYS},
    "alarm_thresholds": THRESHOLDS,
    "alarm_topic_arn": TOPIC,
    "deployment_alarm_names": DEPLOYMENT_ALARMS,
    "dashboard_name": NAME,
    "strict_transport_security": HSTS,
    "web_acl_arn": ACL,
}


def not_found(code: str, operation: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "not found"}}, operation)


class Fake:
    """Answers exactly the describe calls the readiness checks make, from one dict.

    Like AWS, it knows only this stack's topic, dashboard, listener and load balancer: a
    call naming anything else fails as not found.
    """

    def __init__(self, state: dict):
        self.state = state

    def get_paginator(self, operation):
        assert operation == "describe_alarms"
        fake = self

        class Paginator:
            def paginate(self, AlarmNames):
                wanted = set(AlarmNames)
                yield {
                    "MetricAlarms": [a for a in fake.state["alarms"] if a["AlarmName"] in wanted]
                }

        return Paginator()

    def get_topic_attributes(self, TopicArn):
        if TopicArn != TOPIC:
            raise not_found("NotFound", "GetTopicAttributes")
        return {"Attributes": self.state["topic_attributes"]}

    def get_dashboard(self, DashboardName):
        if DashboardName != NAME:
            raise not_found("ResourceNotFound", "GetDashboard")
        return {"DashboardBody": json.dumps(self.state["dashboard"])}

    def describe_listener_attributes(self, ListenerArn):
        if ListenerArn != LISTENER_ARN:
            raise not_found("ListenerNotFound", "DescribeListenerAttributes")
        items = self.state["listener_attributes"].items()
        return {"Attributes": [{"Key": k, "Value": v} for k, v in items]}

    def describe_load_balancer_attributes(self, LoadBalancerArn):
        if LoadBalancerArn != LB_ARN:
            raise not_found("LoadBalancerNotFound", "DescribeLoadBalancerAttributes")
        items = self.state["lb_attributes"].items()
        return {"Attributes": [{"Key": k, "Value": v} for k, v in items]}

    def get_web_acl_for_resource(self, ResourceArn):
        if ResourceArn != LB_ARN:
            raise not_found("WAFNonexistentItemException", "GetWebACLForResource")
        return {"WebACL": self.state["web_acl"]} if self.state["web_acl"] else {}


def smoke(state: dict, outputs: dict = OUTPUTS) -> BackendSmoke:
    checks = BackendSmoke.__new__(BackendSmoke)
    checks.out = outputs
    checks.cloudwatch = checks.sns = checks.elbv2 = checks.wafv2 = Fake(state)
    # state["service"] stands for a whole described service; else only its alarm settings.
    checks.service = state.get("service") or {
        "deploymentConfiguration": {"alarms": state["service_alarms"]}
    }
    checks.load_balancer = {"LoadBalancerArn": LB_ARN}
    checks.listeners = {443: {"ListenerArn": LISTENER_ARN}}
    return checks


def results(state: dict, outputs: dict = OUTPUTS) -> dict[str, tuple[bool, str]]:
    found = {}
    for name, check in smoke(state, outputs).readiness_checks():
        result = run_check(name, check)
        found[name] = (result.ok, result.detail)
    return found


def broken(change) -> dict:
    state = copy.deepcopy(GOOD)
    change(state)
    return state


def set_alarm(key, **values):
    def change(state):
        alarm = next(a for a in state["alarms"] if a["AlarmName"] == alarm_name(key))
        alarm.update(values)

    return change


def drop_from_alarm(key, field):
    def change(state):
        alarm = next(a for a in state["alarms"] if a["AlarmName"] == alarm_name(key))
        del alarm[field]

    return change


def delete_alarm(key):
    def change(state):
        state["alarms"] = [a for a in state["alarms"] if a["AlarmName"] != alarm_name(key)]

    return change


def test_a_good_stack_passes_every_readiness_check():
    found = results(GOOD)
    assert len(found) == 7
    assert {name: ok for name, (ok, _) in found.items() if not ok} == {}


BREAKS = [
    pytest.param(
        set_alarm("target_5xx_rate", Threshold=50.0),
        "alarms watch the service's metrics at their thresholds",
        "target_5xx_rate: threshold 50.0, expected 10",
        id="threshold-raised",
    ),
    pytest.param(
        set_alarm("cpu_high", Dimensions=[{"Name": "ClusterName", "Value": NAME}]),
        "alarms watch the service's metrics at their thresholds",
        "cpu_high: watches",
        id="dimension-dropped",
    ),
    pytest.param(
        set_alarm("unhealthy_hosts", MetricName="HealthyHostCount"),
        "alarms watch the service's metrics at their thresholds",
        "unhealthy_hosts: watches",
        id="wrong-metric",
    ),
    pytest.param(
        lambda s: s["alarms"].pop(),
        "alarms watch the service's metrics at their thresholds",
        "tasks_below_desired: no alarm",
        id="alarm-deleted",
    ),
    pytest.param(
        set_alarm("memory_high", AlarmActions=[]),
        "alarms notify the encrypted topic",
        "alarms without this action ['memory_high']",
        id="action-removed",
    ),
    pytest.param(
        lambda s: s["topic_attributes"].pop("KmsMasterKeyId"),
        "alarms notify the encrypted topic",
        "KMS key none",
        id="topic-unencrypted",
    ),
    pytest.param(
        lambda s: s["service_alarms"].update(rollback=False),
        "deployments roll back on the 5xx and unhealthy alarms",
        "rollback False",
        id="rollback-off",
    ),
    pytest.param(
        lambda s: s.update(service_alarms={}),
        "deployments roll back on the 5xx and unhealthy alarms",
        "service alarms []",
        id="no-deployment-alarms",
    ),
    pytest.param(
        lambda s: s["dashboard"]["widgets"].pop(0),
        "dashboard shows the service's metrics",
        "missing ['RequestCountPerTarget']",
        id="dashboard-widget-gone",
    ),
    pytest.param(
        lambda s: s["listener_attributes"].pop(
            "routing.http.response.strict_transport_security.header_value"
        ),
        "HTTPS listener sends HSTS and nosniff",
        "Strict-Transport-Security ''",
        id="no-hsts",
    ),
    pytest.param(
        lambda s: s["listener_attributes"].update(
            {"routing.http.response.x_content_type_options.header_value": ""}
        ),
        "HTTPS listener sends HSTS and nosniff",
        "X-Content-Type-Options ''",
        id="no-nosniff",
    ),
    pytest.param(
        lambda s: s.update(web_acl=None),
        "WAF web ACL matches waf_enabled",
        f"associated none, expected {ACL}",
        id="waf-disassociated",
    ),
    pytest.param(
        lambda s: s["lb_attributes"].update({"access_logs.s3.enabled": "true"}),
        "access logs match access_logs_enabled",
        "expected off",
        id="logs-on-while-off",
    ),
    pytest.param(
        drop_from_alarm("cpu_high", "Dimensions"),
        "alarms watch the service's metrics at their thresholds",
        "cpu_high: watches [('AWS/ECS', 'CPUUtilization', '{}')], expected [('AWS/ECS', "
        '\'CPUUtilization\', \'{"ClusterName": "lms-dev-backend", "ServiceName": '
        '"lms-dev-backend"}\')]',
        id="no-dimensions",
    ),
    pytest.param(
        drop_from_alarm("unhealthy_hosts", "MetricName"),
        "alarms watch the service's metrics at their thresholds",
        "unhealthy_hosts: watches [], expected [('AWS/ApplicationELB', 'UnHealthyHostCount', "
        '\'{"LoadBalancer": "app/lms-dev-backend/abc123", "TargetGroup": '
        '"targetgroup/lmsdev/def456"}\')]',
        id="no-metric-at-all",
    ),
    pytest.param(
        set_alarm("memory_high", ComparisonOperator="LessThanThreshold"),
        "alarms watch the service's metrics at their thresholds",
        "memory_high: operator LessThanThreshold",
        id="operator-flipped",
    ),
    pytest.param(
        lambda s: (delete_alarm("elb_5xx_rate")(s), set_alarm("cpu_high", Threshold=95.0)(s)),
        "alarms watch the service's metrics at their thresholds",
        "elb_5xx_rate: no alarm; cpu_high: threshold 95.0, expected 90",
        id="missing-alarm-and-raised-threshold-both-named",
    ),
    pytest.param(
        drop_from_alarm("memory_high", "AlarmActions"),
        "alarms notify the encrypted topic",
        "alarms without this action ['memory_high']",
        id="actions-absent",
    ),
    pytest.param(
        lambda s: s["service_alarms"].update(enable=False),
        "deployments roll back on the 5xx and unhealthy alarms",
        f"service alarms {sorted(DEPLOYMENT_ALARMS)} (enable False, rollback True); "
        f"expected {sorted(DEPLOYMENT_ALARMS)}; missing alarms []",
        id="alarms-disabled",
    ),
    pytest.param(
        lambda s: s.update(service={"deploymentConfiguration": {"maximumPercent": 200}}),
        "deployments roll back on the 5xx and unhealthy alarms",
        f"service alarms [] (enable None, rollback None); expected {sorted(DEPLOYMENT_ALARMS)}",
        id="no-alarms-in-deployment-configuration",
    ),
    pytest.param(
        lambda s: s.update(service={"serviceName": NAME}),
        "deployments roll back on the 5xx and unhealthy alarms",
        f"service alarms [] (enable None, rollback None); expected {sorted(DEPLOYMENT_ALARMS)}",
        id="no-deployment-configuration",
    ),
    pytest.param(
        lambda s: s.update(dashboard={}),
        "dashboard shows the service's metrics",
        "lms-dev-backend: draws 0 metrics; missing ['CPUUtilization', "
        "'HTTPCode_Target_5XX_Count', 'MemoryUtilization', 'RequestCountPerTarget', "
        "'RunningTaskCount', 'TargetResponseTime', 'UnHealthyHostCount']",
        id="dashboard-emptied",
    ),
    pytest.param(
        lambda s: s["listener_attributes"].pop(
            "routing.http.response.x_content_type_options.header_value"
        ),
        "HTTPS listener sends HSTS and nosniff",
        f"Strict-Transport-Security {HSTS!r}, X-Content-Type-Options ''",
        id="nosniff-attribute-absent",
    ),
]


@pytest.mark.parametrize(("change", "check", "detail"), BREAKS)
def test_each_break_fails_its_check_and_says_what_it_saw(change, check, detail):
    found = results(broken(change))
    ok, seen = found[check]
    assert not ok
    assert detail in seen, seen
    others = {name for name, (passed, _) in found.items() if not passed} - {check}
    # Removing an alarm also takes it out of what notifies the topic: nothing else fails.
    assert others <= {
        "alarms notify the encrypted topic",
        "deployments roll back on the 5xx and unhealthy alarms",
    }


def test_access_logs_on_must_go_to_the_stacks_bucket():
    outputs = {**OUTPUTS, "access_logs_bucket": "lms-prod-backend-alb-logs-123456789012"}
    on_elsewhere = broken(
        lambda s: s["lb_attributes"].update(
            {"access_logs.s3.enabled": "true", "access_logs.s3.bucket": "someone-elses"}
        )
    )
    assert not results(on_elsewhere, outputs)["access logs match access_logs_enabled"][0]
    on_here = broken(
        lambda s: s["lb_attributes"].update(
            {
                "access_logs.s3.enabled": "true",
                "access_logs.s3.bucket": outputs["access_logs_bucket"],
            }
        )
    )
    assert results(on_here, outputs)["access logs match access_logs_enabled"][0]


def test_waf_off_passes_only_while_nothing_is_associated():
    outputs = {k: v for k, v in OUTPUTS.items() if k != "web_acl_arn"}  # null: omitted
    assert results(GOOD, outputs)["WAF web ACL matches waf_enabled"][0] is False
    assert results(broken(lambda s: s.update(web_acl=None)), outputs)[
        "WAF web ACL matches waf_enabled"
    ][0]


def test_outputs_of_an_older_root_fail_the_checks_with_the_fix():
    outputs = {k: v for k, v in OUTPUTS.items() if k != "alarm_names"}
    ok, detail = results(GOOD, outputs)["alarms watch the service's metrics at their thresholds"]
    assert not ok
    assert "the backend outputs lack alarm_names: apply the current live root" in detail


def test_dimensions_listed_in_another_order_are_the_same_dimensions():
    reordered = broken(set_alarm("target_response_time", Dimensions=TG_DIMS[::-1]))
    ok, detail = results(reordered)["alarms watch the service's metrics at their thresholds"]
    assert ok, detail


def test_alarm_problems_compare_dimensions_whatever_order_either_side_lists_them():
    alarm = {
        "Namespace": "AWS/ApplicationELB",
        "MetricName": "UnHealthyHostCount",
        "Dimensions": TG_DIMS,
        "Threshold": 0.0,
        "ComparisonOperator": "GreaterThanThreshold",
    }
    target_group_first = {"TargetGroup": "targetgroup/lmsdev/def456"}
    target_group_first["LoadBalancer"] = "app/lms-dev-backend/abc123"
    assert alarm_problems(alarm, "unhealthy_hosts", 0, {"tg": target_group_first}) == []


def test_alarms_named_in_the_root_that_no_longer_exist_notify_nobody():
    found = results(broken(delete_alarm("cpu_high")))
    assert found["alarms notify the encrypted topic"] == (
        False,
        f"{TOPIC}: KMS key arn:aws:kms:us-east-1:123456789012:key/k; "
        "alarms without this action ['cpu_high']",
    )


def test_every_alarm_may_roll_deployments_back():
    every = [alarm_name(key) for key in KEYS]
    outputs = {**OUTPUTS, "deployment_alarm_names": every}
    state = broken(lambda s: s["service_alarms"].update(alarmNames=every))
    ok, detail = results(state, outputs)["deployments roll back on the 5xx and unhealthy alarms"]
    assert ok, detail


def test_dashboard_widgets_that_draw_no_metric_are_read_as_drawing_none():
    state = broken(
        lambda s: s["dashboard"]["widgets"].extend(
            [{"type": "text", "properties": {"markdown": "# Runbook"}}, {"type": "text"}]
        )
    )
    assert results(state)["dashboard shows the service's metrics"] == (
        True,
        "lms-dev-backend: draws 7 metrics; missing []",
    )


def test_details_of_a_good_stack_say_what_was_seen():
    found = results(GOOD)
    assert found["HTTPS listener sends HSTS and nosniff"][1] == (
        f"Strict-Transport-Security {HSTS!r}, X-Content-Type-Options 'nosniff'"
    )
    assert found["WAF web ACL matches waf_enabled"][1] == f"associated {ACL}, expected {ACL}"
    assert found["access logs match access_logs_enabled"][1] == (
        "enabled False, bucket none, expected off"
    )


def test_waf_off_but_associated_says_none_was_expected():
    outputs = {k: v for k, v in OUTPUTS.items() if k != "web_acl_arn"}
    assert results(GOOD, outputs)["WAF web ACL matches waf_enabled"] == (
        False,
        f"associated {ACL}, expected none",
    )
