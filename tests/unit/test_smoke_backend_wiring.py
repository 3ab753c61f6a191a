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
    TASK_ARN,
    TG_ARN,
    sg_rule,
)

from lmsops.smoke.backend import BackendSmoke, forward_targets, rule_key
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
        rules = self.state["lifecycle_rules"]
        return {"lifecyclePolicyText": json.dumps({} if rules is None else {"rules": rules})}

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


def container(state) -> dict:
    return state["task_definition"]["containerDefinitions"][0]


def lifecycle(state, index, **selection):
    state["lifecycle_rules"][index]["selection"].update(selection)


def another_family(state):
    state["service"]["taskDefinition"] = TASK_ARN.replace(f"{NAME}:3", f"{NAME}-debug:1")
    state["task_definition"]["family"] = f"{NAME}-debug"


def weighted(state):
    groups = [{"TargetGroupArn": TG_ARN, "Weight": 90}, {"TargetGroupArn": OTHER_TG, "Weight": 10}]
    listener(state, 443)["DefaultActions"] = [
        {"Type": "forward", "ForwardConfig": {"TargetGroups": groups}}
    ]


def from_prefix_list(state):
    rule = {"GroupId": LB_SG, "IsEgress": False, "IpProtocol": "tcp", "FromPort": 443}
    state["rules"].append({**rule, "ToPort": 443, "PrefixListId": "pl-0cf1"})


def another_domain_without_sans(state):
    state["certificates"][CERT] = {"DomainName": "other.example.com", "Status": "ISSUED"}


def login_before_redirect(state):
    login = {"Type": "authenticate-cognito", "Order": 1, "AuthenticateCognitoConfig": {}}
    listener(state, 80)["DefaultActions"].append(login)


MORE_BREAKS = [
    pytest.param(
        weighted,
        "HTTPS listener forwards to the target group",
        f"-> ['{TG_ARN}', '{OTHER_TG}']",
        id="listener-splits-traffic-with-another-group",
    ),
    pytest.param(
        from_prefix_list,
        "load balancer security group rules",
        "('tcp', 443, 443, 'pl-0cf1')",
        id="lb-sg-admits-a-prefix-list",
    ),
    pytest.param(
        lambda s: s["service"].pop("loadBalancers"),
        "target group bound to the service's container",
        "service bindings []",
        id="service-without-load-balancers",
    ),
    pytest.param(
        lambda s: s["target_group"].pop("LoadBalancerArns"),
        "target group bound to the service's container",
        "load balancers None",
        id="target-group-without-load-balancer-field",
    ),
    pytest.param(
        lambda s: container(s).pop("portMappings"),
        "task definition: awsvpc, Fargate, port, awslogs",
        "ports []",
        id="task-without-port-mappings",
    ),
    pytest.param(
        lambda s: container(s)["logConfiguration"].pop("options"),
        "task definition: awsvpc, Fargate, port, awslogs",
        "log driver awslogs -> None",
        id="task-awslogs-without-options",
    ),
    pytest.param(
        lambda s: container(s).pop("logConfiguration"),
        "task definition: awsvpc, Fargate, port, awslogs",
        "log driver None -> None",
        id="task-without-log-configuration",
    ),
    pytest.param(
        another_family,
        "task definition: awsvpc, Fargate, port, awslogs",
        f"{NAME}-debug:1: awsvpc",
        id="service-runs-another-family",
    ),
    pytest.param(
        lambda s: s["task_definition"].pop("requiresCompatibilities"),
        "task definition: awsvpc, Fargate, port, awslogs",
        "awslogs -> /ecs/lms-dev-backend, requires None",
        id="task-not-registered-for-fargate",
    ),
    pytest.param(
        lambda s: s["scaling_policies"][0]["TargetTrackingScalingPolicyConfiguration"].update(
            TargetValue=0.0
        ),
        "request-count policy with the right resource label",
        "(label, target) [('app/lms-dev/abc123/targetgroup/lmsdev/def456', 0.0)]",
        id="scaling-target-zero",
    ),
    pytest.param(
        lambda s: s["repositories"]["lms-backend"].pop("imageScanningConfiguration"),
        "ECR repository: scan on push, encryption, lifecycle",
        "scan on push None",
        id="ecr-without-scanning-configuration",
    ),
    pytest.param(
        lambda s: s["repositories"]["lms-backend"].pop("encryptionConfiguration"),
        "ECR repository: scan on push, encryption, lifecycle",
        "encryption None",
        id="ecr-without-encryption-configuration",
    ),
    pytest.param(
        lambda s: s.update(lifecycle_rules=None),
        "ECR repository: scan on push, encryption, lifecycle",
        "untagged expire after 1 day False, keeps last N tagged False",
        id="ecr-policy-without-rules",
    ),
    pytest.param(
        lambda s: lifecycle(s, 0, countNumber=14),
        "ECR repository: scan on push, encryption, lifecycle",
        "untagged expire after 1 day False",
        id="ecr-untagged-kept-14-days",
    ),
    pytest.param(
        lambda s: lifecycle(s, 0, countType="imageCountMoreThan", countNumber=5),
        "ECR repository: scan on push, encryption, lifecycle",
        "untagged expire after 1 day False",
        id="ecr-untagged-kept-by-count",
    ),
    pytest.param(
        lambda s: lifecycle(s, 1, countType="sinceImagePushed", countNumber=90),
        "ECR repository: scan on push, encryption, lifecycle",
        "keeps last N tagged False",
        id="ecr-tagged-expire-by-age",
    ),
]


@pytest.mark.parametrize(("change", "check", "detail"), MORE_BREAKS)
def test_each_further_break_fails_its_check_and_says_what_it_saw(change, check, detail):
    found = results(broken(change))
    ok, seen = found[check]
    assert not ok, seen
    assert detail in seen, seen


# Where the words of a detail matter (they are all a user reads), the whole detail.
EXACT_DETAILS = [
    pytest.param(
        lambda s: s["service"]["deploymentConfiguration"].pop("deploymentCircuitBreaker"),
        "deployment circuit breaker and 100/200 %",
        'deploymentConfiguration {"maximumPercent": 200, "minimumHealthyPercent": 100}',
        id="breaker-removed",
    ),
    pytest.param(
        lambda s: s["service"].pop("deploymentConfiguration"),
        "deployment circuit breaker and 100/200 %",
        "deploymentConfiguration {}",
        id="no-deployment-configuration",
    ),
    pytest.param(
        lambda s: listener(s, 80)["DefaultActions"][0]["RedirectConfig"].update(
            StatusCode="HTTP_302"
        ),
        "HTTP listener redirects 301 to HTTPS",
        '80 HTTP -> {"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_302"}',
        id="redirect-302",
    ),
    pytest.param(
        login_before_redirect,
        "HTTP listener redirects 301 to HTTPS",
        "80 HTTP -> {}",
        id="http-asks-for-login-before-redirecting",
    ),
    pytest.param(
        lambda s: listener(s, 443).pop("Certificates"),
        "certificate ISSUED and attached to the HTTPS listener",
        "the HTTPS listener has no certificate",
        id="listener-without-certificates",
    ),
    pytest.param(
        lambda s: (
            s["certificates"][CERT].update(DomainName="other.example.com")
            or s["certificates"][CERT].pop("SubjectAlternativeNames")
        ),
        "certificate ISSUED and attached to the HTTPS listener",
        "other.example.com ISSUED on the HTTPS listener",
        id="certificate-for-another-domain-without-sans",
    ),
    pytest.param(
        lambda s: s["task_definition"].update(networkMode="bridge"),
        "task definition: awsvpc, Fargate, port, awslogs",
        f"{NAME}:3: bridge, cpu 256, memory 512, ports [{PORT}], log driver awslogs "
        f"-> /ecs/{NAME}, requires ['FARGATE']",
        id="task-bridge-mode",
    ),
    pytest.param(
        lambda s: s["repositories"]["lms-backend"].update(
            imageScanningConfiguration={"scanOnPush": False}
        ),
        "ECR repository: scan on push, encryption, lifecycle",
        "lms-backend: scan on push False, encryption AES256, tags IMMUTABLE, "
        "untagged expire after 1 day True, keeps last N tagged True",
        id="ecr-no-scan",
    ),
]


@pytest.mark.parametrize(("change", "check", "detail"), EXACT_DETAILS)
def test_a_broken_link_is_reported_in_these_words(change, check, detail):
    assert results(broken(change))[check] == (False, detail)


def test_log_retention_without_an_expected_value_asks_for_any_finite_one():
    outputs = {k: v for k, v in OUTPUTS.items() if k != "log_retention_days"}
    assert results(GOOD, outputs)["log group retention"] == (
        True,
        f"/ecs/{NAME}: 30 days (expected any finite value)",
    )
    never_expires = broken(lambda s: s["log_groups"][0].pop("retentionInDays"))
    assert results(never_expires, outputs)["log group retention"] == (
        False,
        f"/ecs/{NAME}: None days (expected any finite value)",
    )


def namespaced_repository(state, outputs):
    state["repositories"] = {"lms/backend": state["repositories"]["lms-backend"]}
    outputs["ecr_repository_url"] = outputs["ecr_repository_url"].replace(
        "lms-backend", "lms/backend"
    )


def domain_in_capitals(state, outputs):
    # Terraform passes domain_name as written; Route 53 answers in lower case.
    outputs["domain_name"] = "API.DEV.ACME-LMS.BOX."
    state["zones"] = [{"Id": "/hostedzone/Z1", "Name": "dev.acme-lms.box.", "Config": {}}]
    state["records"][0]["Name"] = "api.dev.acme-lms.box."


# Stacks that differ from the good one and still hold: the check must pass them.
STILL_GOOD = [
    pytest.param(
        lambda s, o: s["scalable_targets"][0].update(MinCapacity=2, MaxCapacity=2),
        "scalable target on the service's desired count",
        id="fixed-size-service",
    ),
    pytest.param(
        lambda s, o: s["scaling_policies"][0]["TargetTrackingScalingPolicyConfiguration"].update(
            TargetValue=1.0
        ),
        "request-count policy with the right resource label",
        id="one-request-per-target",
    ),
    pytest.param(
        lambda s, o: s["repositories"]["lms-backend"].update(
            encryptionConfiguration={"encryptionType": "KMS"}
        ),
        "ECR repository: scan on push, encryption, lifecycle",
        id="ecr-kms-encrypted",
    ),
    pytest.param(
        namespaced_repository,
        "ECR repository: scan on push, encryption, lifecycle",
        id="ecr-repository-in-a-namespace",
    ),
    pytest.param(
        lambda s, o: s["certificates"][CERT].update(DomainName="dev.acme-lms.com"),
        "certificate ISSUED and attached to the HTTPS listener",
        id="domain-among-the-alternative-names",
    ),
    pytest.param(
        domain_in_capitals,
        "DNS alias points at the load balancer",
        id="domain-output-in-capitals-with-a-final-dot",
    ),
    pytest.param(
        lambda s, o: o.pop("task_definition_family"),
        "task definition: awsvpc, Fargate, port, awslogs",
        id="older-root-without-the-family-output",
    ),
]


@pytest.mark.parametrize(("change", "check"), STILL_GOOD)
def test_a_stack_that_differs_but_holds_passes_the_check(change, check):
    state, outputs = copy.deepcopy(GOOD), copy.deepcopy(OUTPUTS)
    change(state, outputs)
    ok, detail = results(state, outputs)[check]
    assert ok, detail


def test_forward_targets_of_each_action_shape():
    assert forward_targets({"Type": "forward", "TargetGroupArn": TG_ARN}) == [TG_ARN]
    groups = [{"TargetGroupArn": TG_ARN}, {"TargetGroupArn": OTHER_TG}]
    config = {"Type": "forward", "ForwardConfig": {"TargetGroups": groups}}
    assert forward_targets(config) == [TG_ARN, OTHER_TG]
    assert forward_targets({"Type": "forward", "ForwardConfig": {}}) == []
    assert forward_targets({"Type": "forward"}) == []
    assert forward_targets({"Type": "redirect", "TargetGroupArn": TG_ARN}) == []


def test_a_rule_from_a_prefix_list_is_keyed_by_the_list():
    rule = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListId": "pl-0cf1"}
    assert rule_key(rule) == ("tcp", 443, 443, "pl-0cf1")
