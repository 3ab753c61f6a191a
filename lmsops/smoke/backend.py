"""Smoke checks of a backend environment, following the wiring from its Terraform outputs.

HTTPS listener -> target group -> the ECS service's load-balancer binding -> the task
definition and its log group; the security groups between load balancer and tasks;
the certificate on the listener; the scalable target and its request-count policy;
the ECR repository; the DNS alias; the alarms (metrics, dimensions, thresholds, topic),
the service's deployment alarms, the dashboard, the listener's response headers, the WAF
association and the access logs. Every check reads the live resources with boto3.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cached_property

import boto3
from botocore.exceptions import BotoCoreError

from lmsops.annotations import Session
from lmsops.errors import UserError
from lmsops.smoke.backend_readiness import ReadinessChecks
from lmsops.smoke.checks import Check, run_check

REQUIRED_OUTPUTS = (
    "cluster_name",
    "service_name",
    "container_name",
    "container_port",
    "target_group_arn",
    "lb_dns_name",
    "domain_name",
    "ecr_repository_url",
    "log_group_name",
)
# ELB policies that allow TLS 1.2 or newer only.
TLS12_PLUS_POLICIES = {
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
}
TLS13_POLICY_PREFIX = "ELBSecurityPolicy-TLS13-"
PUBLIC_SOURCES = ("0.0.0.0/0", "::/0")


def check_backend(outputs: dict, session: Session | None = None) -> list[Check]:
    """Run every backend check; a check that cannot read its resource fails, never raises."""
    missing = [name for name in REQUIRED_OUTPUTS if outputs.get(name) in (None, "")]
    if missing:
        raise UserError(
            f"the backend outputs lack {', '.join(missing)}: apply live/<env>/backend first"
        )
    try:
        smoke = BackendSmoke(outputs, session or boto3.session.Session())
    except BotoCoreError as exc:  # no region, unknown profile, ...
        raise UserError(f"cannot create AWS clients: {exc}") from exc
    return [run_check(name, check) for name, check in smoke.checks()]


def rule_key(rule: dict) -> tuple:
    """(protocol, from port, to port, source or destination) of a security group rule."""
    peer = (
        rule.get("CidrIpv4")
        or rule.get("CidrIpv6")
        or rule.get("ReferencedGroupInfo", {}).get("GroupId")
        or rule.get("PrefixListId")
    )
    return (rule.get("IpProtocol"), rule.get("FromPort"), rule.get("ToPort"), peer)


def forward_targets(action: dict) -> list[str]:
    if action.get("Type") != "forward":
        return []
    if action.get("TargetGroupArn"):
        return [action["TargetGroupArn"]]
    groups = action.get("ForwardConfig", {}).get("TargetGroups", [])
    return [group["TargetGroupArn"] for group in groups]


def lb_arn_suffix(lb_arn: str) -> str:
    return lb_arn.split(":loadbalancer/", 1)[1]


def target_group_arn_suffix(tg_arn: str) -> str:
    return tg_arn.rsplit(":", 1)[1]


def is_tls12_plus(policy: str | None) -> bool:
    return policy is not None and (
        policy.startswith(TLS13_POLICY_PREFIX) or policy in TLS12_PLUS_POLICIES
    )


class BackendSmoke(ReadinessChecks):
    """Lazily looked-up resources of one backend, and the checks over them."""

    def __init__(self, outputs: dict, session: Session):
        self.out = outputs
        self.port = int(outputs["container_port"])
        self.ecs = session.client("ecs")
        self.elbv2 = session.client("elbv2")
        self.ec2 = session.client("ec2")
        self.acm = session.client("acm")
        self.logs = session.client("logs")
        self.autoscaling = session.client("application-autoscaling")
        self.ecr = session.client("ecr")
        self.route53 = session.client("route53")
        self.cloudwatch = session.client("cloudwatch")
        self.sns = session.client("sns")
        self.wafv2 = session.client("wafv2")

    def checks(self) -> list[tuple[str, Callable[[], tuple[bool, str]]]]:
        return [
            ("ECS service active on Fargate", self.service_active),
            ("deployment circuit breaker and 100/200 %", self.deployment_settings),
            ("HTTPS listener forwards to the target group", self.https_listener),
            ("HTTP listener redirects 301 to HTTPS", self.http_redirect),
            ("target group bound to the service's container", self.target_group_binding),
            ("certificate ISSUED and attached to the HTTPS listener", self.certificate),
            ("load balancer security group rules", self.lb_security_group),
            ("service security group admits only the load balancer", self.service_security_group),
            ("task definition: awsvpc, Fargate, port, awslogs", self.task_definition),
            ("log group retention", self.log_retention),
            ("scalable target on the service's desired count", self.scalable_target),
            ("request-count policy with the right resource label", self.request_count_policy),
            ("ECR repository: scan on push, encryption, lifecycle", self.ecr_repository),
            ("DNS alias points at the load balancer", self.dns_alias),
            *self.readiness_checks(),
        ]

    # -- lookups -------------------------------------------------------------------------

    @cached_property
    def service(self) -> dict:
        cluster, name = self.out["cluster_name"], self.out["service_name"]
        found = self.ecs.describe_services(cluster=cluster, services=[name])
        if not found["services"]:
            raise LookupError(f"no service {name} in cluster {cluster}: {found.get('failures')}")
        return found["services"][0]

    @cached_property
    def load_balancer(self) -> dict:
        dns_name = self.out["lb_dns_name"].lower()
        for page in self.elbv2.get_paginator("describe_load_balancers").paginate():
            for lb in page["LoadBalancers"]:
                if lb["DNSName"].lower() == dns_name:
                    return lb
        raise LookupError(f"no load balancer with DNS name {dns_name}")

    @cached_property
    def listeners(self) -> dict[int, dict]:
        arn = self.load_balancer["LoadBalancerArn"]
        found = self.elbv2.describe_listeners(LoadBalancerArn=arn)["Listeners"]
        return {listener["Port"]: listener for listener in found}

    def listener(self, port: int) -> dict:
        if port not in self.listeners:
            raise LookupError(f"the load balancer has no listener on port {port}")
        return self.listeners[port]

    @cached_property
    def target_group(self) -> dict:
        arn = self.out["target_group_arn"]
        return self.elbv2.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"][0]

    def group_rules(self, group_id: str) -> tuple[set, set]:
        """(ingress, egress) rule keys of a security group."""
        rules = []
        paginator = self.ec2.get_paginator("describe_security_group_rules")
        for page in paginator.paginate(Filters=[{"Name": "group-id", "Values": [group_id]}]):
            rules += page["SecurityGroupRules"]
        ingress = {rule_key(r) for r in rules if not r["IsEgress"]}
        egress = {rule_key(r) for r in rules if r["IsEgress"]}
        return ingress, egress

    @cached_property
    def lb_group_id(self) -> str:
        groups = self.load_balancer.get("SecurityGroups", [])
        if len(groups) != 1:
            raise LookupError(f"expected one load balancer security group, found {groups}")
        return groups[0]

    @cached_property
    def service_group_id(self) -> str:
        vpc = self.service["networkConfiguration"]["awsvpcConfiguration"]
        if len(vpc["securityGroups"]) != 1:
            raise LookupError(f"expected one service security group, found {vpc['securityGroups']}")
        return vpc["securityGroups"][0]

    @cached_property
    def resource_id(self) -> str:
        return f"service/{self.out['cluster_name']}/{self.out['service_name']}"

    # -- checks --------------------------------------------------------------------------

    def service_active(self) -> tuple[bool, str]:
        svc = self.service
        ok = svc["status"] == "ACTIVE" and svc.get("launchType") == "FARGATE"
        return ok, (
            f"{svc['serviceName']}: status {svc['status']}, launch type {svc.get('launchType')}, "
            f"desired {svc['desiredCount']}, running {svc['runningCount']}"
        )

    def deployment_settings(self) -> tuple[bool, str]:
        config = self.service.get("deploymentConfiguration", {})
        breaker = config.get("deploymentCircuitBreaker", {})
        ok = (
            breaker.get("enable") is True
            and breaker.get("rollback") is True
            and config.get("minimumHealthyPercent") == 100
            and config.get("maximumPercent") == 200
        )
        return ok, f"deploymentConfiguration {json.dumps(config, sort_keys=True)}"

    def https_listener(self) -> tuple[bool, str]:
        listener = self.listener(443)
        targets = [t for a in listener["DefaultActions"] for t in forward_targets(a)]
        ok = (
            listener["Protocol"] == "HTTPS"
            and is_tls12_plus(listener.get("SslPolicy"))
            and targets == [self.out["target_group_arn"]]
        )
        return ok, f"443 {listener['Protocol']} {listener.get('SslPolicy')} -> {targets}"

    def http_redirect(self) -> tuple[bool, str]:
        listener = self.listener(80)
        actions = listener["DefaultActions"]
        redirect = actions[0].get("RedirectConfig", {}) if len(actions) == 1 else {}
        ok = (
            listener["Protocol"] == "HTTP"
            and actions[0]["Type"] == "redirect"
            and redirect.get("Protocol") == "HTTPS"
            and redirect.get("Port") == "443"
            and redirect.get("StatusCode") == "HTTP_301"
        )
        return ok, f"80 {listener['Protocol']} -> {json.dumps(redirect, sort_keys=True)}"

    def target_group_binding(self) -> tuple[bool, str]:
        tg = self.target_group
        expected = {
            "targetGroupArn": self.out["target_group_arn"],
            "containerName": self.out["container_name"],
            "containerPort": self.port,
        }
        bindings = self.service.get("loadBalancers", [])
        ok = (
            tg["TargetType"] == "ip"
            and tg["Port"] == self.port
            and self.load_balancer["LoadBalancerArn"] in tg.get("LoadBalancerArns", [])
            and expected in bindings
        )
        return ok, (
            f"target group type {tg['TargetType']} port {tg['Port']}, "
            f"load balancers {tg.get('LoadBalancerArns')}; service bindings {bindings}"
        )

    def certificate(self) -> tuple[bool, str]:
        attached = [c["CertificateArn"] for c in self.listener(443).get("Certificates", [])]
        if not attached:
            return False, "the HTTPS listener has no certificate"
        cert = self.acm.describe_certificate(CertificateArn=attached[0])["Certificate"]
        names = {cert["DomainName"], *cert.get("SubjectAlternativeNames", [])}
        ok = cert["Status"] == "ISSUED" and self.out["domain_name"] in names
        return ok, f"{cert['DomainName']} {cert['Status']} on the HTTPS listener"

    def lb_security_group(self) -> tuple[bool, str]:
        ingress, egress = self.group_rules(self.lb_group_id)
        expected_in = {("tcp", p, p, src) for p in (80, 443) for src in PUBLIC_SOURCES}
        expected_out = {("tcp", self.port, self.port, self.service_group_id)}
        ok = ingress == expected_in and egress == expected_out
        return ok, f"{self.lb_group_id}: ingress {sorted(ingress)}, egress {sorted(egress)}"

    def service_security_group(self) -> tuple[bool, str]:
        ingress, _ = self.group_rules(self.service_group_id)
        ok = ingress == {("tcp", self.port, self.port, self.lb_group_id)}
        return ok, f"{self.service_group_id}: ingress {sorted(ingress)}"

    def task_definition(self) -> tuple[bool, str]:
        arn = self.service["taskDefinition"]
        task = self.ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
        containers = {c["name"]: c for c in task["containerDefinitions"]}
        container = containers[self.out["container_name"]]
        ports = [m.get("containerPort") for m in container.get("portMappings", [])]
        logging = container.get("logConfiguration", {})
        family = self.out.get("task_definition_family", task["family"])
        ok = (
            task["networkMode"] == "awsvpc"
            and "FARGATE" in task.get("requiresCompatibilities", [])
            and task["family"] == family
            and self.port in ports
            and logging.get("logDriver") == "awslogs"
            and logging.get("options", {}).get("awslogs-group") == self.out["log_group_name"]
        )
        return ok, (
            f"{arn.rsplit('/', 1)[-1]}: {task['networkMode']}, cpu {task.get('cpu')}, "
            f"memory {task.get('memory')}, ports {ports}, log driver {logging.get('logDriver')} "
            f"-> {logging.get('options', {}).get('awslogs-group')}, "
            f"requires {task.get('requiresCompatibilities')}"
        )

    def log_retention(self) -> tuple[bool, str]:
        name = self.out["log_group_name"]
        groups = self.logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
        group = next((g for g in groups if g["logGroupName"] == name), None)
        if group is None:
            return False, f"no log group {name}"
        retention = group.get("retentionInDays")
        expected = self.out.get("log_retention_days")
        ok = retention is not None and (expected is None or retention == int(expected))
        return ok, f"{name}: {retention} days (expected {expected or 'any finite value'})"

    def scalable_target(self) -> tuple[bool, str]:
        found = self.autoscaling.describe_scalable_targets(
            ServiceNamespace="ecs",
            ResourceIds=[self.resource_id],
            ScalableDimension="ecs:service:DesiredCount",
        )["ScalableTargets"]
        if not found:
            return False, f"no scalable target for {self.resource_id}"
        target = found[0]
        ok = 1 <= target["MinCapacity"] <= target["MaxCapacity"]
        return ok, f"{self.resource_id}: min {target['MinCapacity']}, max {target['MaxCapacity']}"

    def request_count_policy(self) -> tuple[bool, str]:
        expected = (
            f"{lb_arn_suffix(self.load_balancer['LoadBalancerArn'])}/"
            f"{target_group_arn_suffix(self.out['target_group_arn'])}"
        )
        policies = self.autoscaling.describe_scaling_policies(
            ServiceNamespace="ecs", ResourceId=self.resource_id
        )["ScalingPolicies"]
        labels = []
        for policy in policies:
            config = policy.get("TargetTrackingScalingPolicyConfiguration", {})
            metric = config.get("PredefinedMetricSpecification", {})
            if metric.get("PredefinedMetricType") == "ALBRequestCountPerTarget":
                labels.append((metric.get("ResourceLabel"), config.get("TargetValue")))
        ok = len(labels) == 1 and labels[0][0] == expected and labels[0][1] > 0
        return ok, f"ALBRequestCountPerTarget (label, target) {labels}; expected label {expected}"

    def ecr_repository(self) -> tuple[bool, str]:
        name = self.out["ecr_repository_url"].split("/", 1)[1]
        repo = self.ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
        scan = repo.get("imageScanningConfiguration", {}).get("scanOnPush")
        encryption = repo.get("encryptionConfiguration", {}).get("encryptionType")
        rules = json.loads(
            self.ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"]
        )
        selections = [rule["selection"] for rule in rules.get("rules", [])]
        expires_untagged = any(
            s.get("tagStatus") == "untagged"
            and s.get("countType") == "sinceImagePushed"
            and s.get("countNumber") == 1
            for s in selections
        )
        keeps_tagged = any(
            s.get("tagStatus") == "tagged" and s.get("countType") == "imageCountMoreThan"
            for s in selections
        )
        ok = scan is True and encryption in ("KMS", "AES256") and expires_untagged and keeps_tagged
        return ok, (
            f"{name}: scan on push {scan}, encryption {encryption}, tags "
            f"{repo.get('imageTagMutability')}, untagged expire after 1 day {expires_untagged}, "
            f"keeps last N tagged {keeps_tagged}"
        )

    def dns_alias(self) -> tuple[bool, str]:
        domain = self.out["domain_name"].rstrip(".").lower()
        zone_id = self.zone_for(domain)
        found = self.route53.list_resource_record_sets(
            HostedZoneId=zone_id, StartRecordName=domain, StartRecordType="A", MaxItems="1"
        )["ResourceRecordSets"]
        record = found[0] if found else {}
        alias = record.get("AliasTarget", {}).get("DNSName", "").rstrip(".").lower()
        ok = (
            record.get("Name", "").rstrip(".").lower() == domain
            and record.get("Type") == "A"
            and alias.endswith(self.out["lb_dns_name"].lower())
        )
        return ok, f"{domain} A alias -> {alias or 'none'}"

    def zone_for(self, domain: str) -> str:
        """The public hosted zone whose name is the longest suffix of DOMAIN."""
        labels = domain.split(".")
        for start in range(len(labels) - 1):
            candidate = ".".join(labels[start:]) + "."
            # A private zone of the same name (split-horizon DNS) may be listed first: ask
            # for a full page of zones from CANDIDATE on, not for one.
            zones = self.route53.list_hosted_zones_by_name(DNSName=candidate, MaxItems="100")
            for zone in zones["HostedZones"]:
                private = zone.get("Config", {}).get("PrivateZone", False)
                if zone["Name"].lower() == candidate and not private:
                    return zone["Id"]
        raise LookupError(f"no public hosted zone holds {domain}")
