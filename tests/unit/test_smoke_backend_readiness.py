"""Smoke checks of alarms, deployment alarms, dashboard, headers, WAF and access logs.

Each check runs on fake describe responses: one set shaped like a good stack (every check
passes) and, per check, one break of the kind a console edit or a missing apply leaves.
"""

from __future__ import annotations

import copy
import json

import pytest

from lmsops.smoke.backend import BackendSmoke
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


class Fake:
    """Answers exactly the describe calls the readiness checks make, from one dict."""

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
        return {"Attributes": self.state["topic_attributes"]}

    def get_dashboard(self, DashboardName):
        return {"DashboardBody": json.dumps(self.state["dashboard"])}

    def describe_listener_attributes(self, ListenerArn):
        items = self.state["listener_attributes"].items()
        return {"Attributes": [{"Key": k, "Value": v} for k, v in items]}

    def describe_load_balancer_attributes(self, LoadBalancerArn):
        items = self.state["lb_attributes"].items()
        return {"Attributes": [{"Key": k, "Value": v} for k, v in items]}

    def get_web_acl_for_resource(self, ResourceArn):
        return {"WebACL": self.state["web_acl"]} if self.state["web_acl"] else {}


def smoke(state: dict, outputs: dict = OUTPUTS) -> BackendSmoke:
    checks = BackendSmoke.__new__(BackendSmoke)
    checks.out = outputs
    checks.cloudwatch = checks.sns = checks.elbv2 = checks.wafv2 = Fake(state)
    checks.service = {"deploymentConfiguration": {"alarms": state["service_alarms"]}}
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
