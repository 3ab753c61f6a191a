"""The fourteen wiring checks of `lmsops smoke backend`, on fake describe responses.

One set of responses is shaped like a good stack (every check passes); each break is
one console edit or missing apply, and must fail its own check and name what it saw.
"""

from __future__ import annotations

import copy
import json

import pytest
from botocore.exceptions import ClientError
from smoke_backend_stack import (
    CERT,
    DOMAIN,
    GOOD,
    LB_SG,
    NAME,
    OTHER_TG,
    OUTPUTS,
    PORT,
    SERVICE_SG,
    TG_ARN,
    sg_rule,
)

from lmsops.smoke.backend import BackendSmoke
from lmsops.smoke.checks import run_check


def not_found(operation: str) -> ClientError:
    error = {"Error": {"Code": "NotFound", "Message": "not found"}}
    return ClientError(error, operation)


class Fake:
    """Answers exactly the describe calls the wiring checks make, from one dict."""

    def __init__(self, state: dict):
        self.state = state

    def get_paginator(self, operation):
        fake = self

        class Paginator:
            def paginate(self, Filters=None):
                if operation == "describe_load_balancers":
                    yield {"LoadBalancers": [fake.state["load_balancer"]]}
                else:
                    assert operation == "describe_security_group_rules"
                    [group] = Filters[0]["Values"]
                    rules = fake.state["rules"]
                    yield {"SecurityGroupRules": [r for r in rules if r["GroupId"] == group]}

        return Paginator()

    def describe_services(self, cluster, services):
        return {"services": [self.state["service"]] if self.state["service"] else []}

    def describe_listeners(self, LoadBalancerArn):
        return {"Listeners": self.state["listeners"]}

    def describe_target_groups(self, TargetGroupArns):
        return {"TargetGroups": [self.state["target_group"]]}

    def describe_certificate(self, CertificateArn):
        return {"Certificate": self.state["certificates"][CertificateArn]}

    def describe_task_definition(self, taskDefinition):
        return {"taskDefinition": self.state["task_definition"]}

    def describe_log_groups(self, logGroupNamePrefix):
        return {"logGroups": self.state["log_groups"]}

    def describe_scalable_targets(self, **_):
        return {"ScalableTargets": self.state["scalable_targets"]}

    def describe_scaling_policies(self, **_):
        return {"ScalingPolicies": self.state["scaling_policies"]}

    def describe_repositories(self, repositoryNames):
        [name] = repositoryNames
        if name not in self.state["repositories"]:
            raise not_found("DescribeRepositories")
        return {"repositories": [self.state["repositories"][name]]}

    def get_lifecycle_policy(self, repositoryName):
        return {"lifecyclePolicyText": json.dumps({"rules": self.state["lifecycle_rules"]})}

    def list_hosted_zones_by_name(self, DNSName, MaxItems):
        return {"HostedZones": [z for z in self.state["zones"] if z["Name"] == DNSName]}

    def list_resource_record_sets(self, **_):
        return {"ResourceRecordSets": self.state["records"]}


def smoke(state: dict, outputs: dict = OUTPUTS) -> BackendSmoke:
    checks = BackendSmoke.__new__(BackendSmoke)
    checks.out = outputs
    checks.port = int(outputs["container_port"])
    fake = Fake(state)
    for client in ("ecs", "elbv2", "ec2", "acm", "logs", "autoscaling", "ecr", "route53"):
        setattr(checks, client, fake)
    return checks


def results(state: dict, outputs: dict = OUTPUTS) -> dict[str, tuple[bool, str]]:
    checks = smoke(state, outputs)
    wiring = checks.checks()[:14]  # the readiness checks have their own test file
    found = {}
    for name, check in wiring:
        result = run_check(name, check)
        found[name] = (result.ok, result.detail)
    return found


def broken(change) -> dict:
    state = copy.deepcopy(GOOD)
    change(state)
    return state


def listener(state, port) -> dict:
    return next(item for item in state["listeners"] if item["Port"] == port)


def rule(state, group, port) -> dict:
    return next(r for r in state["rules"] if r["GroupId"] == group and r["FromPort"] == port)


def test_a_good_stack_passes_every_wiring_check():
    found = results(GOOD)
    assert len(found) == 14
    assert {name: detail for name, (ok, detail) in found.items() if not ok} == {}


def set_port(state, group, old, new):
    target = rule(state, group, old)
    target.update(FromPort=new, ToPort=new)


BREAKS = [
    pytest.param(
        lambda s: s["service"].update(status="DRAINING"),
        "ECS service active on Fargate",
        "status DRAINING",
        id="service-draining",
    ),
    pytest.param(
        lambda s: s["service"].update(launchType="EC2"),
        "ECS service active on Fargate",
        "launch type EC2",
        id="service-on-ec2",
    ),
    pytest.param(
        lambda s: s.update(service=None),
        "ECS service active on Fargate",
        f"no service {NAME}",
        id="service-missing",
    ),
    pytest.param(
        lambda s: s["service"]["deploymentConfiguration"]["deploymentCircuitBreaker"].update(
            rollback=False
        ),
        "deployment circuit breaker and 100/200 %",
        '"rollback": false',
        id="breaker-no-rollback",
    ),
    pytest.param(
        lambda s: s["service"]["deploymentConfiguration"].update(minimumHealthyPercent=50),
        "deployment circuit breaker and 100/200 %",
        '"minimumHealthyPercent": 50',
        id="min-healthy-50",
    ),
    pytest.param(
        lambda s: listener(s, 443).update(Protocol="HTTP"),
        "HTTPS listener forwards to the target group",
        "443 HTTP",
        id="listener-not-https",
    ),
    pytest.param(
        lambda s: listener(s, 443).update(SslPolicy="ELBSecurityPolicy-2016-08"),
        "HTTPS listener forwards to the target group",
        "ELBSecurityPolicy-2016-08",
        id="listener-allows-tls10",
    ),
    pytest.param(
        lambda s: listener(s, 443).update(
            DefaultActions=[{"Type": "forward", "TargetGroupArn": OTHER_TG}]
        ),
        "HTTPS listener forwards to the target group",
        OTHER_TG,
        id="listener-forwards-elsewhere",
    ),
    pytest.param(
        lambda s: s["listeners"].pop(0),
        "HTTPS listener forwards to the target group",
        "no listener on port 443",
        id="https-listener-missing",
    ),
    pytest.param(
        lambda s: listener(s, 80).update(
            DefaultActions=[{"Type": "forward", "TargetGroupArn": TG_ARN}]
        ),
        "HTTP listener redirects 301 to HTTPS",
        "80 HTTP -> {}",
        id="http-forwards-plaintext",
    ),
    pytest.param(
        lambda s: listener(s, 80)["DefaultActions"][0]["RedirectConfig"].update(
            StatusCode="HTTP_302"
        ),
        "HTTP listener redirects 301 to HTTPS",
        "HTTP_302",
        id="redirect-302",
    ),
    pytest.param(
        lambda s: s["target_group"].update(Port=8080),
        "target group bound to the service's container",
        "port 8080",
        id="target-group-port-not-container-port",
    ),
    pytest.param(
        lambda s: s["target_group"].update(TargetType="instance"),
        "target group bound to the service's container",
        "type instance",
        id="target-group-instance-type",
    ),
    pytest.param(
        lambda s: s["service"]["loadBalancers"][0].update(containerName="sidecar"),
        "target group bound to the service's container",
        "'containerName': 'sidecar'",
        id="binding-wrong-container",
    ),
    pytest.param(
        lambda s: s["target_group"].update(LoadBalancerArns=[]),
        "target group bound to the service's container",
        "load balancers []",
        id="target-group-detached",
    ),
    pytest.param(
        lambda s: s["certificates"][CERT].update(
            DomainName="other.example.com", SubjectAlternativeNames=[]
        ),
        "certificate ISSUED and attached to the HTTPS listener",
        "other.example.com ISSUED",
        id="certificate-for-another-domain",
    ),
    pytest.param(
        lambda s: s["certificates"][CERT].update(Status="PENDING_VALIDATION"),
        "certificate ISSUED and attached to the HTTPS listener",
        f"{DOMAIN} PENDING_VALIDATION",
        id="certificate-not-issued",
    ),
    pytest.param(
        lambda s: listener(s, 443).update(Certificates=[]),
        "certificate ISSUED and attached to the HTTPS listener",
        "no certificate",
        id="no-certificate",
    ),
    pytest.param(
        lambda s: s["rules"].append(sg_rule(LB_SG, False, 22, "0.0.0.0/0")),
        "load balancer security group rules",
        "('tcp', 22, 22, '0.0.0.0/0')",
        id="lb-sg-admits-ssh",
    ),
    pytest.param(
        lambda s: rule(s, LB_SG, PORT).update(ReferencedGroupInfo={}, CidrIpv4="0.0.0.0/0"),
        "load balancer security group rules",
        f"egress [('tcp', {PORT}, {PORT}, '0.0.0.0/0')]",
        id="lb-sg-egress-anywhere",
    ),
    pytest.param(
        lambda s: rule(s, SERVICE_SG, PORT).update(ReferencedGroupInfo={}, CidrIpv4="0.0.0.0/0"),
        "service security group admits only the load balancer",
        f"('tcp', {PORT}, {PORT}, '0.0.0.0/0')",
        id="service-sg-open-to-internet",
    ),
    pytest.param(
        lambda s: s["rules"].append(sg_rule(SERVICE_SG, False, PORT, "0.0.0.0/0")),
        "service security group admits only the load balancer",
        f"('tcp', {PORT}, {PORT}, '0.0.0.0/0')",
        id="service-sg-also-open-to-internet",
    ),
    pytest.param(
        lambda s: s["rules"].append(sg_rule(SERVICE_SG, False, 22, LB_SG)),
        "service security group admits only the load balancer",
        "('tcp', 22, 22, 'sg-lb')",
        id="service-sg-also-admits-another-port",
    ),
    pytest.param(
        lambda s: set_port(s, SERVICE_SG, PORT, 8080),
        "service security group admits only the load balancer",
        "('tcp', 8080, 8080, 'sg-lb')",
        id="service-sg-wrong-port",
    ),
    pytest.param(
        lambda s: s["task_definition"].update(networkMode="bridge"),
        "task definition: awsvpc, Fargate, port, awslogs",
        "bridge",
        id="task-bridge-mode",
    ),
    pytest.param(
        lambda s: s["task_definition"]["containerDefinitions"][0].update(
            portMappings=[{"containerPort": 8080}]
        ),
        "task definition: awsvpc, Fargate, port, awslogs",
        "ports [8080]",
        id="task-wrong-port",
    ),
    pytest.param(
        lambda s: s["task_definition"]["containerDefinitions"][0]["logConfiguration"][
            "options"
        ].update({"awslogs-group": "/ecs/elsewhere"}),
        "task definition: awsvpc, Fargate, port, awslogs",
        "-> /ecs/elsewhere",
        id="task-logs-elsewhere",
    ),
    pytest.param(
        lambda s: s["log_groups"][0].pop("retentionInDays"),
        "log group retention",
        "None days",
        id="log-retention-never-expire",
    ),
    pytest.param(
        lambda s: s.update(log_groups=[]),
        "log group retention",
        f"no log group /ecs/{NAME}",
        id="log-group-missing",
    ),
    pytest.param(
        lambda s: s["log_groups"][0].update(retentionInDays=7),
        "log group retention",
        "7 days (expected 30)",
        id="log-retention-changed",
    ),
    pytest.param(
        lambda s: s.update(scalable_targets=[]),
        "scalable target on the service's desired count",
        f"no scalable target for service/{NAME}/{NAME}",
        id="scalable-target-missing",
    ),
    pytest.param(
        lambda s: s["scalable_targets"][0].update(MinCapacity=0),
        "scalable target on the service's desired count",
        "min 0",
        id="scales-to-zero",
    ),
    pytest.param(
        lambda s: s.update(scaling_policies=[]),
        "request-count policy with the right resource label",
        "(label, target) []",
        id="scaling-policy-missing",
    ),
    pytest.param(
        lambda s: s["scaling_policies"][0]["TargetTrackingScalingPolicyConfiguration"][
            "PredefinedMetricSpecification"
        ].update(ResourceLabel="app/lms-dev/abc123/targetgroup/other/999"),
        "request-count policy with the right resource label",
        "targetgroup/other/999",
        id="scaling-label-other-target-group",
    ),
    pytest.param(
        lambda s: s.update(repositories={}),
        "ECR repository: scan on push, encryption, lifecycle",
        "ClientError",
        id="ecr-missing",
    ),
    pytest.param(
        lambda s: s["repositories"]["lms-backend"].update(
            imageScanningConfiguration={"scanOnPush": False}
        ),
        "ECR repository: scan on push, encryption, lifecycle",
        "scan on push False",
        id="ecr-no-scan",
    ),
    pytest.param(
        lambda s: s["lifecycle_rules"].pop(0),
        "ECR repository: scan on push, encryption, lifecycle",
        "untagged expire after 1 day False",
        id="ecr-untagged-kept",
    ),
    pytest.param(
        lambda s: s["records"][0]["AliasTarget"].update(DNSName="elsewhere.elb.amazonaws.com."),
        "DNS alias points at the load balancer",
        "-> elsewhere.elb.amazonaws.com",
        id="alias-elsewhere",
    ),
    pytest.param(
        lambda s: s.update(records=[]),
        "DNS alias points at the load balancer",
        "alias -> none",
        id="alias-missing",
    ),
    pytest.param(
        lambda s: s.update(zones=[]),
        "DNS alias points at the load balancer",
        f"no public hosted zone holds {DOMAIN}",
        id="zone-missing",
    ),
]


@pytest.mark.parametrize(("change", "check", "detail"), BREAKS)
def test_each_break_fails_its_check_and_says_what_it_saw(change, check, detail):
    found = results(broken(change))
    ok, seen = found[check]
    assert not ok, seen
    assert detail in seen, seen
