"""`lmsops smoke backend` as the command runs it: check_backend on a boto3 session.

The calls go through real botocore clients, so a parameter the service model rejects fails
as it would on AWS. A `before-call` hook then answers each call the way AWS would, from one
dict: filtered by the request's parameters, values outside the model's enums refused, long
answers paged, Route 53 listings in their documented order. The account is busy: other
services, scaling policies, log groups, zones and records sit next to the stack's own.
"""

from __future__ import annotations

import copy
import json

import boto3
import botocore.loaders
import pytest
from botocore.awsrequest import AWSResponse
from smoke_backend_stack import (
    ACCOUNT,
    DOMAIN,
    GOOD,
    LB_ARN,
    LB_DNS,
    NAME,
    OUTPUTS,
    TASK_ARN,
    TG_ARN,
    sg_rule,
)

from lmsops.errors import UserError
from lmsops.smoke.backend import check_backend

# Service models load once: a botocore session reading them anew costs half a second.
LOADER = botocore.loaders.create_loader()
PAGE = 2  # AWS pages long answers; two items a page spreads this account over several pages

REGION = "us-east-1"
CLUSTER_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{NAME}"
LISTENER_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/app/lms-dev/abc123/l1"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:{NAME}-alarms"
HSTS = "max-age=31536000; includeSubDomains"
RESOURCE_ID = f"service/{NAME}/{NAME}"
OTHER_SERVICE = f"service/{NAME}/lms-dev-worker"
ZONE, APEX_ZONE, PRIVATE_ZONE, OTHER_ZONE = (
    "/hostedzone/Z1",
    "/hostedzone/Z2",
    "/hostedzone/Z0PRIVATE",
    "/hostedzone/Z9",
)

LB_DIMS = [{"Name": "LoadBalancer", "Value": "app/lms-dev/abc123"}]
TG_DIMS = [*LB_DIMS, {"Name": "TargetGroup", "Value": "targetgroup/lmsdev/def456"}]
ECS_DIMS = [{"Name": "ClusterName", "Value": NAME}, {"Name": "ServiceName", "Value": NAME}]
ALB = "AWS/ApplicationELB"
# Alarm key -> (namespace, metrics, dimensions, threshold) of the live root's alarms.
ALARMS = {
    "elb_5xx_rate": (ALB, ["HTTPCode_ELB_5XX_Count", "RequestCount"], LB_DIMS, 10),
    "target_5xx_rate": (ALB, ["HTTPCode_Target_5XX_Count", "RequestCount"], TG_DIMS, 10),
    "target_response_time": (ALB, ["TargetResponseTime"], TG_DIMS, 2),
    "unhealthy_hosts": (ALB, ["UnHealthyHostCount"], TG_DIMS, 0),
    "cpu_high": ("AWS/ECS", ["CPUUtilization"], ECS_DIMS, 90),
    "memory_high": ("AWS/ECS", ["MemoryUtilization"], ECS_DIMS, 90),
    "tasks_below_desired": (
        "ECS/ContainerInsights",
        ["DesiredTaskCount", "RunningTaskCount"],
        ECS_DIMS,
        0,
    ),
}
DEPLOYMENT_ALARMS = [f"{NAME}-elb-5xx-rate", f"{NAME}-target-5xx-rate", f"{NAME}-unhealthy-hosts"]
DASHBOARD_METRICS = [
    "RequestCountPerTarget",
    "HTTPCode_Target_5XX_Count",
    "TargetResponseTime",
    "UnHealthyHostCount",
    "CPUUtilization",
    "MemoryUtilization",
    "RunningTaskCount",
]

ALL_OUTPUTS = {
    **OUTPUTS,
    "alarm_names": {key: f"{NAME}-{key.replace('_', '-')}" for key in ALARMS},
    "alarm_thresholds": {key: threshold for key, (*_, threshold) in ALARMS.items()},
    "alarm_topic_arn": TOPIC,
    "deployment_alarm_names": DEPLOYMENT_ALARMS,
    "dashboard_name": NAME,
    "strict_transport_security": HSTS,
}

# What `lmsops smoke backend` reports, in its order.
CHECK_NAMES = [
    "ECS service active on Fargate",
    "deployment circuit breaker and 100/200 %",
    "HTTPS listener forwards to the target group",
    "HTTP listener redirects 301 to HTTPS",
    "target group bound to the service's container",
    "certificate ISSUED and attached to the HTTPS listener",
    "load balancer security group rules",
    "service security group admits only the load balancer",
    "task definition: awsvpc, Fargate, port, awslogs",
    "log group retention",
    "scalable target on the service's desired count",
    "request-count policy with the right resource label",
    "ECR repository: scan on push, encryption, lifecycle",
    "DNS alias points at the load balancer",
    "alarms watch the service's metrics at their thresholds",
    "alarms notify the encrypted topic",
    "deployments roll back on the 5xx and unhealthy alarms",
    "dashboard shows the service's metrics",
    "HTTPS listener sends HSTS and nosniff",
    "WAF web ACL matches waf_enabled",
    "access logs match access_logs_enabled",
]
DNS_CHECK = "DNS alias points at the load balancer"


def alarm(key: str) -> dict:
    namespace, metrics, dims, threshold = ALARMS[key]
    metric = {"Namespace": namespace, "Dimensions": dims}
    queries = [{"Id": "e1", "Expression": "m0 / m1", "ReturnData": True}]
    queries += [
        {"Id": f"m{i}", "MetricStat": {"Metric": {**metric, "MetricName": name}}}
        for i, name in enumerate(metrics)
    ]
    return {
        "AlarmName": ALL_OUTPUTS["alarm_names"][key],
        "Threshold": float(threshold),
        "ComparisonOperator": "GreaterThanThreshold",
        "AlarmActions": [TOPIC],
        "Metrics": queries,
    }


def alias(name: str, target: str) -> dict:
    return {"Name": name, "Type": "A", "AliasTarget": {"DNSName": target}}


def apex(zone: str) -> list[dict]:
    return [
        {"Name": zone, "Type": "NS", "ResourceRecords": [{"Value": "ns-1.awsdns-01.org."}]},
        {"Name": zone, "Type": "SOA", "ResourceRecords": [{"Value": "ns-1.awsdns-01.org. x"}]},
    ]


def policy(resource_id: str, name: str, **config) -> dict:
    found = {"PolicyName": name, "ServiceNamespace": "ecs", "ResourceId": resource_id}
    found["ScalableDimension"] = "ecs:service:DesiredCount"
    return {**found, **config}


def request_count(label: str, target: float) -> dict:
    metric = {"PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": label}
    return {
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": target,
            "PredefinedMetricSpecification": metric,
        },
    }


def busy_account() -> dict:
    """The good stack of smoke_backend_stack, its readiness resources, and neighbours."""
    state = copy.deepcopy(GOOD)
    state["service"].update(clusterArn=CLUSTER_ARN, serviceArn=f"{CLUSTER_ARN}/{NAME}")
    state["service"]["deploymentConfiguration"]["alarms"] = {
        "alarmNames": DEPLOYMENT_ALARMS,
        "enable": True,
        "rollback": True,
    }
    state["task_definition"]["taskDefinitionArn"] = TASK_ARN
    other_lb = {"LoadBalancerArn": LB_ARN.replace("lms-dev/abc123", "other/1"), "DNSName": "o-1"}
    state["load_balancers"] = [
        other_lb,
        {**other_lb, "DNSName": "o-2"},
        state.pop("load_balancer"),
    ]
    for listener in state["listeners"]:
        listener["LoadBalancerArn"] = LB_ARN
    state["listeners"][0]["ListenerArn"] = LISTENER_ARN
    state["target_groups"] = [{**state.pop("target_group"), "TargetGroupArn": TG_ARN}]
    state["rules"].insert(0, sg_rule("sg-other", False, 22, "10.0.0.0/8"))
    state["log_groups"].insert(0, {"logGroupName": f"/ecs/{NAME}-worker", "retentionInDays": 7})
    ours = {"ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount"}
    state["scalable_targets"] = [
        {**ours, "ResourceId": OTHER_SERVICE, "MinCapacity": 0, "MaxCapacity": 0},
        {**ours, "ResourceId": RESOURCE_ID, **state["scalable_targets"][0]},
    ]
    label = state["scaling_policies"][0]["TargetTrackingScalingPolicyConfiguration"][
        "PredefinedMetricSpecification"
    ]["ResourceLabel"]
    cpu = {
        "TargetValue": 60.0,
        "CustomizedMetricSpecification": {"MetricName": "CPUUtilization", "Namespace": "AWS/ECS"},
    }
    state["scaling_policies"] = [
        policy(OTHER_SERVICE, "worker-requests", **request_count(label, 50.0)),
        policy(RESOURCE_ID, "requests", **request_count(label, 100.0)),
        policy(RESOURCE_ID, "cpu", TargetTrackingScalingPolicyConfiguration=cpu),
        policy(RESOURCE_ID, "step", PolicyType="StepScaling", StepScalingPolicyConfiguration={}),
    ]
    state["zones"] = [
        {"Id": ZONE, "Name": "dev.acme-lms.com.", "Config": {"PrivateZone": False}},
        {"Id": OTHER_ZONE, "Name": "example.org.", "Config": {"PrivateZone": False}},
    ]
    state["records"] = {
        ZONE: [
            *apex("dev.acme-lms.com."),
            *state["records"],
            {"Name": f"{DOMAIN}.", "Type": "AAAA", "AliasTarget": {"DNSName": "elsewhere."}},
            alias("www.dev.acme-lms.com.", "d111.cloudfront.net."),
        ],
        OTHER_ZONE: [*apex("example.org."), alias("example.org.", "d222.cloudfront.net.")],
    }
    state["alarms"] = [alarm(key) for key in ALARMS]
    state["topics"] = {TOPIC: {"KmsMasterKeyId": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k"}}
    widgets = [{"type": "metric", "properties": {"metrics": [[ALB, m]]}} for m in DASHBOARD_METRICS]
    state["dashboards"] = {NAME: {"widgets": widgets}}
    state["listener_attributes"] = {
        LISTENER_ARN: {
            "routing.http.response.strict_transport_security.header_value": HSTS,
            "routing.http.response.x_content_type_options.header_value": "nosniff",
        }
    }
    state["lb_attributes"] = {LB_ARN: {"access_logs.s3.enabled": "false"}}
    return state


class Refused(Exception):
    """An error answer of AWS: its code and message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def route53_order(name: str) -> str:
    """Route 53 lists names by their labels reversed: api.example.com. -> com.example.api."""
    return ".".join(reversed(name.lower().rstrip(".").split("."))) + "."


def route53_max_items(value: str, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit():
        raise Refused("InvalidInput", f"MaxItems {value!r} is not a number")
    return int(value)


def paged(items: list, token: str | None) -> tuple[list, str | None]:
    """One page of ITEMS from TOKEN on, and the token of the next page (None on the last)."""
    start = int(token or 0)
    end = start + PAGE
    return items[start:end], (str(end) if end < len(items) else None)


def one(found: list, code: str, what: str) -> dict:
    if not found:
        raise Refused(code, f"{what} not found")
    return found[0]


ANSWERS = {}


def answers(service: str, operation: str):
    def register(method):
        ANSWERS[service, operation] = method
        return method

    return register


class Aws:
    """Answers the smoke checks' calls as AWS would, from STATE; records every call."""

    def __init__(self, state: dict):
        self.state = state
        self.calls: list[tuple[str, str, dict]] = []

    def session(self) -> boto3.session.Session:
        core = botocore.session.get_session()
        core.register_component("data_loader", LOADER)
        core.register("before-parameter-build", self.remember)
        core.register("before-call", self.answer)
        return boto3.session.Session(
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name=REGION,
            botocore_session=core,
        )

    def remember(self, params, context, **_):
        context["smoke-params"] = copy.deepcopy(params)

    def answer(self, model, context, **_):
        service, params = model.service_model.service_name, context["smoke-params"]
        self.calls.append((service, model.name, params))
        answer = ANSWERS.get((service, model.name))
        assert answer, f"the fake does not answer {service} {model.name}"
        try:
            members = model.input_shape.members
            for name, value in params.items():
                allowed = getattr(members[name], "enum", [])
                if allowed and value not in allowed:
                    raise Refused("ValidationException", f"{name} {value!r} is not allowed")
            return AWSResponse(None, 200, {}, None), answer(self, **params)
        except Refused as error:
            parsed = {"Error": {"Code": error.code, "Message": str(error)}}
            return AWSResponse(None, 400, {}, None), parsed

    @answers("ecs", "DescribeServices")
    def describe_services(self, cluster, services):
        service = self.state["service"]
        found = service and cluster in (CLUSTER_ARN, NAME) and service["serviceName"] in services
        if found:
            return {"services": [service], "failures": []}
        return {"services": [], "failures": [{"arn": services[0], "reason": "MISSING"}]}

    @answers("ecs", "DescribeTaskDefinition")
    def describe_task_definition(self, taskDefinition):
        task = self.state["task_definition"]
        arn = task["taskDefinitionArn"]
        if taskDefinition not in (arn, arn.rsplit("/", 1)[1]):
            raise Refused("ClientException", "Unable to describe task definition.")
        return {"taskDefinition": task}

    @answers("elbv2", "DescribeLoadBalancers")
    def describe_load_balancers(self, Marker=None):
        page, marker = paged(self.state["load_balancers"], Marker)
        return {"LoadBalancers": page, **({"NextMarker": marker} if marker else {})}

    @answers("elbv2", "DescribeListeners")
    def describe_listeners(self, LoadBalancerArn):
        if LoadBalancerArn not in [lb["LoadBalancerArn"] for lb in self.state["load_balancers"]]:
            raise Refused("LoadBalancerNotFound", LoadBalancerArn)
        listeners = self.state["listeners"]
        return {"Listeners": [x for x in listeners if x["LoadBalancerArn"] == LoadBalancerArn]}

    @answers("elbv2", "DescribeTargetGroups")
    def describe_target_groups(self, TargetGroupArns):
        groups = self.state["target_groups"]
        found = [g for g in groups if g["TargetGroupArn"] in TargetGroupArns]
        return {"TargetGroups": [one(found, "TargetGroupNotFound", str(TargetGroupArns))]}

    @answers("elbv2", "DescribeListenerAttributes")
    def describe_listener_attributes(self, ListenerArn):
        items = self.state["listener_attributes"][ListenerArn].items()
        return {"Attributes": [{"Key": k, "Value": v} for k, v in items]}

    @answers("elbv2", "DescribeLoadBalancerAttributes")
    def describe_load_balancer_attributes(self, LoadBalancerArn):
        items = self.state["lb_attributes"][LoadBalancerArn].items()
        return {"Attributes": [{"Key": k, "Value": v} for k, v in items]}

    @answers("ec2", "DescribeSecurityGroupRules")
    def describe_security_group_rules(self, Filters, NextToken=None):
        rules = self.state["rules"]
        for named in Filters:
            if named["Name"] != "group-id":
                raise Refused("InvalidParameterValue", f"The filter '{named['Name']}' is invalid")
            rules = [r for r in rules if r["GroupId"] in named["Values"]]
        page, token = paged(rules, NextToken)
        return {"SecurityGroupRules": page, **({"NextToken": token} if token else {})}

    @answers("acm", "DescribeCertificate")
    def describe_certificate(self, CertificateArn):
        found = [self.state["certificates"].get(CertificateArn)]
        return {"Certificate": one([c for c in found if c], "ResourceNotFoundException", "cert")}

    @answers("logs", "DescribeLogGroups")
    def describe_log_groups(self, logGroupNamePrefix):
        groups = self.state["log_groups"]
        return {
            "logGroups": [g for g in groups if g["logGroupName"].startswith(logGroupNamePrefix)]
        }

    @answers("application-autoscaling", "DescribeScalableTargets")
    def describe_scalable_targets(self, ServiceNamespace, ResourceIds=None, ScalableDimension=None):
        found = [
            t
            for t in self.state["scalable_targets"]
            if t["ServiceNamespace"] == ServiceNamespace
            and (ResourceIds is None or t["ResourceId"] in ResourceIds)
            and ScalableDimension in (None, t["ScalableDimension"])
        ]
        return {"ScalableTargets": found}

    @answers("application-autoscaling", "DescribeScalingPolicies")
    def describe_scaling_policies(self, ServiceNamespace, ResourceId=None):
        found = [
            p
            for p in self.state["scaling_policies"]
            if p["ServiceNamespace"] == ServiceNamespace and ResourceId in (None, p["ResourceId"])
        ]
        return {"ScalingPolicies": found}

    @answers("ecr", "DescribeRepositories")
    def describe_repositories(self, repositoryNames):
        [name] = repositoryNames
        found = [self.state["repositories"].get(name)]
        repository = one([r for r in found if r], "RepositoryNotFoundException", name)
        return {"repositories": [{**repository, "repositoryName": name}]}

    @answers("ecr", "GetLifecyclePolicy")
    def get_lifecycle_policy(self, repositoryName):
        if repositoryName not in self.state["repositories"]:
            raise Refused("RepositoryNotFoundException", repositoryName)
        text = json.dumps({"rules": self.state["lifecycle_rules"]})
        return {"repositoryName": repositoryName, "lifecyclePolicyText": text}

    @answers("route53", "ListHostedZonesByName")
    def list_hosted_zones_by_name(self, DNSName, MaxItems=None):
        zones = sorted(self.state["zones"], key=lambda z: (route53_order(z["Name"]), z["Id"]))
        found = [z for z in zones if route53_order(z["Name"]) >= route53_order(DNSName)]
        return {"HostedZones": found[: route53_max_items(MaxItems, 100)]}

    @answers("route53", "ListResourceRecordSets")
    def list_resource_record_sets(
        self, HostedZoneId, StartRecordName=None, StartRecordType=None, MaxItems=None
    ):
        if StartRecordType and not StartRecordName:
            raise Refused("InvalidInput", "StartRecordType without StartRecordName")
        zone = f"/hostedzone/{HostedZoneId.rsplit('/', 1)[-1]}"
        records = sorted(self.state["records"].get(zone, []), key=self.record_order)
        if StartRecordName:
            start = (route53_order(StartRecordName), StartRecordType or "")
            records = [r for r in records if self.record_order(r) >= start]
        return {"ResourceRecordSets": records[: route53_max_items(MaxItems, 300)]}

    @staticmethod
    def record_order(record: dict) -> tuple[str, str]:
        return route53_order(record["Name"]), record["Type"]

    @answers("cloudwatch", "DescribeAlarms")
    def describe_alarms(self, AlarmNames, NextToken=None):
        alarms = [a for a in self.state["alarms"] if a["AlarmName"] in AlarmNames]
        page, token = paged(alarms, NextToken)
        return {"MetricAlarms": page, **({"NextToken": token} if token else {})}

    @answers("cloudwatch", "GetDashboard")
    def get_dashboard(self, DashboardName):
        body = self.state["dashboards"].get(DashboardName)
        if body is None:
            raise Refused("ResourceNotFound", f"Dashboard {DashboardName} does not exist")
        return {"DashboardName": DashboardName, "DashboardBody": json.dumps(body)}

    @answers("sns", "GetTopicAttributes")
    def get_topic_attributes(self, TopicArn):
        if TopicArn not in self.state["topics"]:
            raise Refused("NotFound", "Topic does not exist")
        return {"Attributes": self.state["topics"][TopicArn]}

    @answers("wafv2", "GetWebACLForResource")
    def get_web_acl_for_resource(self, ResourceArn):
        return {}  # no web ACL: waf_enabled is off (web_acl_arn is not among the outputs)


@pytest.fixture(autouse=True)
def no_ambient_aws(monkeypatch):
    """Nothing but the fake answers: no region, profile, keys or instance metadata to fall
    back on, so code that ignored the session it was given would fail at once."""
    ambient = ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE")
    ambient += ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
    for name in ambient:  # the emulator fixture of the same worker sets several of these
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def run(state: dict, outputs: dict = ALL_OUTPUTS) -> tuple[dict[str, tuple[bool, str]], Aws]:
    aws = Aws(state)
    found = {c.name: (c.ok, c.detail) for c in check_backend(outputs, aws.session())}
    return found, aws


def test_a_good_stack_in_a_busy_account_passes_every_check_in_order():
    aws = Aws(busy_account())
    checks = check_backend(ALL_OUTPUTS, aws.session())
    assert [check.name for check in checks] == CHECK_NAMES
    assert {check.name: check.detail for check in checks if not check.ok} == {}
    services = {service for service, _, _ in aws.calls}
    assert services == {
        "ecs",
        "elbv2",
        "ec2",
        "acm",
        "logs",
        "application-autoscaling",
        "ecr",
        "route53",
        "cloudwatch",
        "sns",
        "wafv2",
    }


def test_a_private_zone_on_the_way_is_passed_over_for_the_public_one_above_it():
    state = busy_account()
    state["zones"] = [
        {"Id": PRIVATE_ZONE, "Name": "dev.acme-lms.com.", "Config": {"PrivateZone": True}},
        {"Id": APEX_ZONE, "Name": "acme-lms.com.", "Config": {"PrivateZone": False}},
        *state["zones"][1:],
    ]
    state["records"] = {
        PRIVATE_ZONE: [alias(f"{DOMAIN}.", "internal-lms-dev-1.us-east-1.elb.amazonaws.com.")],
        APEX_ZONE: [*apex("acme-lms.com."), alias(f"{DOMAIN}.", f"dualstack.{LB_DNS}.")],
    }
    found, _ = run(state)
    assert found[DNS_CHECK] == (True, f"{DOMAIN} A alias -> dualstack.{LB_DNS}")


def test_a_public_zone_is_found_next_to_a_private_zone_of_the_same_name():
    # Split-horizon DNS: Route 53 lists zones of one name by ID, the private one first here.
    state = busy_account()
    private = {"Id": PRIVATE_ZONE, "Name": "dev.acme-lms.com.", "Config": {"PrivateZone": True}}
    state["zones"].append(private)
    state["records"][PRIVATE_ZONE] = [alias(f"{DOMAIN}.", "internal-lms-dev-1.elb.amazonaws.com.")]
    found, _ = run(state)
    assert found[DNS_CHECK] == (True, f"{DOMAIN} A alias -> dualstack.{LB_DNS}")


def test_a_zone_listed_without_its_config_counts_as_public():
    state = busy_account()
    for zone in state["zones"]:
        del zone["Config"]  # optional in the Route 53 model
    found, _ = run(state)
    assert found[DNS_CHECK] == (True, f"{DOMAIN} A alias -> dualstack.{LB_DNS}")


def test_without_a_zone_the_lookup_asks_each_parent_but_never_the_top_level_domain():
    state = busy_account()
    state["zones"] = state["zones"][1:]
    found, aws = run(state)
    assert found[DNS_CHECK] == (False, f"LookupError: no public hosted zone holds {DOMAIN}")
    asked = [params["DNSName"] for _, op, params in aws.calls if op == "ListHostedZonesByName"]
    assert asked == [f"{DOMAIN}.", "dev.acme-lms.com.", "acme-lms.com."]


def test_an_empty_output_counts_as_missing_and_is_named_before_any_aws_call():
    aws = Aws(busy_account())
    with pytest.raises(UserError) as raised:
        check_backend({**ALL_OUTPUTS, "domain_name": ""}, aws.session())
    assert str(raised.value) == (
        "the backend outputs lack domain_name: apply live/<env>/backend first"
    )
    assert aws.calls == []


def test_every_missing_output_is_named_in_the_order_the_root_declares_them():
    outputs = {k: v for k, v in ALL_OUTPUTS.items() if k not in ("log_group_name", "cluster_name")}
    with pytest.raises(UserError) as raised:
        check_backend(outputs, Aws(busy_account()).session())
    assert str(raised.value) == (
        "the backend outputs lack cluster_name, log_group_name: apply live/<env>/backend first"
    )


def test_a_session_without_a_region_is_a_user_error_naming_what_botocore_said():
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="x")
    with pytest.raises(UserError) as raised:
        check_backend(ALL_OUTPUTS, session)
    assert str(raised.value) == "cannot create AWS clients: You must specify a region."
