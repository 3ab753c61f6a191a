"""Production-readiness checks of a backend: alarms, deployment alarms, dashboard, headers.

A mixin of `lmsops.smoke.backend.BackendSmoke`: it reads the outputs the live root gives
(`alarm_names`, `alarm_thresholds`, `alarm_topic_arn`, `deployment_alarm_names`,
`dashboard_name`, `strict_transport_security`, `web_acl_arn`, `access_logs_bucket`) and
the resources the base class looks up (service, load balancer, listeners, target group).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cached_property
from typing import Any

from lmsops.annotations import Client

ALB = "AWS/ApplicationELB"
HSTS_ATTRIBUTE = "routing.http.response.strict_transport_security.header_value"
NOSNIFF_ATTRIBUTE = "routing.http.response.x_content_type_options.header_value"
# Alarm key -> (namespace, metric names it must watch, dimension set: lb, tg or ecs).
ALARM_METRICS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "elb_5xx_rate": (ALB, ("HTTPCode_ELB_5XX_Count", "RequestCount"), "lb"),
    "target_5xx_rate": (ALB, ("HTTPCode_Target_5XX_Count", "RequestCount"), "tg"),
    "target_response_time": (ALB, ("TargetResponseTime",), "tg"),
    "unhealthy_hosts": (ALB, ("UnHealthyHostCount",), "tg"),
    "cpu_high": ("AWS/ECS", ("CPUUtilization",), "ecs"),
    "memory_high": ("AWS/ECS", ("MemoryUtilization",), "ecs"),
    "tasks_below_desired": (
        "ECS/ContainerInsights",
        ("DesiredTaskCount", "RunningTaskCount"),
        "ecs",
    ),
}


def dimensions_of(metric: dict) -> dict[str, str]:
    return {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}


def watched_metrics(alarm: dict) -> list[tuple[str | None, str, dict[str, str]]]:
    """(namespace, metric name, dimensions) of a single-metric or metric-math alarm."""
    if alarm.get("MetricName"):
        return [(alarm.get("Namespace"), alarm["MetricName"], dimensions_of(alarm))]
    found = []
    for query in alarm.get("Metrics", []):
        metric = query.get("MetricStat", {}).get("Metric")
        if metric:
            found.append((metric.get("Namespace"), metric["MetricName"], dimensions_of(metric)))
    return found


def alarm_problems(
    alarm: dict, key: str, threshold: float, dimensions: dict[str, dict]
) -> list[str]:
    """What is wrong with ALARM (empty when it watches what KEY should, at THRESHOLD)."""
    namespace, metrics, dimension_set = ALARM_METRICS[key]
    expected = {
        (namespace, name, json.dumps(dimensions[dimension_set], sort_keys=True)) for name in metrics
    }
    seen = {
        (ns, name, json.dumps(dims, sort_keys=True)) for ns, name, dims in watched_metrics(alarm)
    }
    problems = []
    if not expected <= seen:
        problems.append(f"watches {sorted(seen)}, expected {sorted(expected)}")
    if alarm.get("Threshold") != threshold:
        problems.append(f"threshold {alarm.get('Threshold')}, expected {threshold}")
    if alarm.get("ComparisonOperator") != "GreaterThanThreshold":
        problems.append(f"operator {alarm.get('ComparisonOperator')}")
    return problems


class ReadinessChecks:
    """Checks over the alarms, dashboard and hardening of one backend."""

    # What BackendSmoke provides: the root's outputs, its clients and the resources it finds.
    out: dict
    cloudwatch: Client
    elbv2: Client
    sns: Client
    wafv2: Client

    @property
    def service(self) -> dict:
        raise NotImplementedError

    @property
    def load_balancer(self) -> dict:
        raise NotImplementedError

    def listener(self, port: int) -> dict:
        raise NotImplementedError

    def readiness_checks(self) -> list[tuple[str, Callable[[], tuple[bool, str]]]]:
        return [
            ("alarms watch the service's metrics at their thresholds", self.alarms_watch_metrics),
            ("alarms notify the encrypted topic", self.alarms_notify_topic),
            ("deployments roll back on the 5xx and unhealthy alarms", self.deployment_alarms),
            ("dashboard shows the service's metrics", self.dashboard),
            ("HTTPS listener sends HSTS and nosniff", self.response_headers),
            ("WAF web ACL matches waf_enabled", self.web_acl),
            ("access logs match access_logs_enabled", self.access_logs),
        ]

    def output(self, name: str) -> Any:
        if name not in self.out:
            raise LookupError(f"the backend outputs lack {name}: apply the current live root")
        return self.out[name]

    @cached_property
    def alarms_by_key(self) -> dict[str, dict]:
        """The described alarm of each key of the alarm_names output ({} when absent)."""
        names: dict[str, str] = self.output("alarm_names")
        found = {}
        paginator = self.cloudwatch.get_paginator("describe_alarms")
        for page in paginator.paginate(AlarmNames=sorted(names.values())):
            for alarm in page.get("MetricAlarms", []):
                found[alarm["AlarmName"]] = alarm
        return {key: found.get(name, {}) for key, name in names.items()}

    def metric_dimensions(self) -> dict[str, dict[str, str]]:
        lb = self.load_balancer["LoadBalancerArn"].split(":loadbalancer/", 1)[1]
        tg = self.out["target_group_arn"].rsplit(":", 1)[1]
        ecs = {"ClusterName": self.out["cluster_name"], "ServiceName": self.out["service_name"]}
        return {
            "lb": {"LoadBalancer": lb},
            "tg": {"LoadBalancer": lb, "TargetGroup": tg},
            "ecs": ecs,
        }

    def alarms_watch_metrics(self) -> tuple[bool, str]:
        thresholds: dict[str, float] = self.output("alarm_thresholds")
        alarms = self.alarms_by_key
        dimensions = self.metric_dimensions()
        problems = []
        for key in ALARM_METRICS:
            alarm = alarms.get(key)
            if not alarm:
                problems.append(f"{key}: no alarm")
                continue
            problems += [
                f"{key}: {p}" for p in alarm_problems(alarm, key, thresholds[key], dimensions)
            ]
        return not problems, "; ".join(problems) or f"{len(alarms)} alarms: {sorted(alarms)}"

    def alarms_notify_topic(self) -> tuple[bool, str]:
        topic = self.output("alarm_topic_arn")
        silent = [
            key
            for key, alarm in self.alarms_by_key.items()
            if topic not in alarm.get("AlarmActions", [])
        ]
        attributes = self.sns.get_topic_attributes(TopicArn=topic)["Attributes"]
        key_id = attributes.get("KmsMasterKeyId")
        ok = not silent and bool(key_id)
        return ok, f"{topic}: KMS key {key_id or 'none'}; alarms without this action {silent}"

    def deployment_alarms(self) -> tuple[bool, str]:
        expected = sorted(self.output("deployment_alarm_names"))
        config = self.service.get("deploymentConfiguration", {}).get("alarms", {})
        names = sorted(config.get("alarmNames", []))
        existing = {alarm["AlarmName"] for alarm in self.alarms_by_key.values() if alarm}
        ok = (
            bool(expected)
            and names == expected
            and config.get("enable") is True
            and config.get("rollback") is True
            and set(names) <= existing
        )
        return ok, (
            f"service alarms {names} (enable {config.get('enable')}, rollback "
            f"{config.get('rollback')}); expected {expected}; missing alarms "
            f"{sorted(set(names) - existing)}"
        )

    def dashboard(self) -> tuple[bool, str]:
        name = self.output("dashboard_name")
        body = json.loads(self.cloudwatch.get_dashboard(DashboardName=name)["DashboardBody"])
        drawn = {
            line[1]
            for widget in body.get("widgets", [])
            for line in widget.get("properties", {}).get("metrics", [])
        }
        wanted = {
            "RequestCountPerTarget",
            "HTTPCode_Target_5XX_Count",
            "TargetResponseTime",
            "UnHealthyHostCount",
            "CPUUtilization",
            "MemoryUtilization",
            "RunningTaskCount",
        }
        missing = sorted(wanted - drawn)
        return not missing, f"{name}: draws {len(drawn)} metrics; missing {missing}"

    def response_headers(self) -> tuple[bool, str]:
        arn = self.listener(443)["ListenerArn"]
        found = self.elbv2.describe_listener_attributes(ListenerArn=arn)["Attributes"]
        attributes = {a["Key"]: a["Value"] for a in found}
        hsts = attributes.get(HSTS_ATTRIBUTE, "")
        nosniff = attributes.get(NOSNIFF_ATTRIBUTE, "")
        ok = (
            hsts.startswith("max-age=")
            and hsts == self.output("strict_transport_security")
            and nosniff == "nosniff"
        )
        return ok, f"Strict-Transport-Security {hsts!r}, X-Content-Type-Options {nosniff!r}"

    def web_acl(self) -> tuple[bool, str]:
        expected = self.out.get("web_acl_arn")  # Terraform omits null outputs: WAF off
        lb_arn = self.load_balancer["LoadBalancerArn"]
        found = self.wafv2.get_web_acl_for_resource(ResourceArn=lb_arn).get("WebACL") or {}
        actual = found.get("ARN")
        return actual == expected, f"associated {actual or 'none'}, expected {expected or 'none'}"

    def access_logs(self) -> tuple[bool, str]:
        expected = self.out.get("access_logs_bucket")  # omitted (null) when logs are off
        lb_arn = self.load_balancer["LoadBalancerArn"]
        found = self.elbv2.describe_load_balancer_attributes(LoadBalancerArn=lb_arn)["Attributes"]
        attributes = {a["Key"]: a["Value"] for a in found}
        enabled = attributes.get("access_logs.s3.enabled") == "true"
        bucket = attributes.get("access_logs.s3.bucket") or None
        ok = (enabled, bucket) == (True, expected) if expected else not enabled
        return ok, f"enabled {enabled}, bucket {bucket or 'none'}, expected {expected or 'off'}"
