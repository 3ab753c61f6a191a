"""live/dev/backend on the emulator: apply, smoke checks, plans stay empty, destroy.

The tests run in file order on one applied root; the last one destroys it (the
fixture's teardown destroys again if an earlier test failed).
"""

from __future__ import annotations

import json

import boto3
import pytest

from lmsops import cli, environment, roots
from lmsops.smoke import check_backend

NAME = "lms-dev-backend"
DOMAIN = "api.dev.acme-lms.com"
RESOURCE_ID = f"service/{NAME}/{NAME}"


@pytest.fixture(scope="module")
def backend(bootstrapped, tmp_path_factory, destroy_leftovers):
    """live/dev/backend applied on a fresh copy of the repo; (root, outputs, work dir)."""
    work = tmp_path_factory.mktemp("backend-work")
    repo = roots.copy_repo(work / "repo")
    root = environment.live_root(repo, "dev", "backend", work)
    try:
        outputs = environment.apply_live(root, bootstrapped.backend_config)
        yield root, outputs, work
    finally:
        destroy_leftovers(root)


@pytest.fixture(scope="module")
def aws(emulator):
    session = boto3.session.Session()  # reads the emulator environment now
    names = ("ecs", "ec2", "elbv2", "iam", "ecr", "logs", "acm", "route53")
    names += ("cloudwatch", "sns", "kms", "wafv2")
    clients = {name: session.client(name) for name in names}
    clients["autoscaling"] = session.client("application-autoscaling")
    return clients


def empty_plan(root) -> tuple[bool, str]:
    proc = root.plan(detailed_exitcode=True)
    return proc.returncode == 0, proc.stdout + proc.stderr


def service(aws) -> dict:
    return aws["ecs"].describe_services(cluster=NAME, services=[NAME])["services"][0]


def test_outputs_name_what_deploy_and_smoke_read(backend):
    _, outputs, _ = backend
    assert outputs["backend_url"] == f"https://{DOMAIN}"
    assert outputs["cluster_name"] == outputs["service_name"] == NAME
    assert outputs["task_definition_family"] == NAME
    assert outputs["container_name"] == "app"
    assert outputs["ecr_repository_url"].endswith(f"/{NAME}")
    assert outputs["target_group_arn"].startswith("arn:aws:elasticloadbalancing:")
    assert outputs["lb_dns_name"]
    assert outputs["rolling_deploy_worst_case_seconds"] < 90


def test_smoke_checks_pass(backend):
    checks = check_backend(backend[1])
    failed = [f"{c.name}: {c.detail}" for c in checks if not c.ok]
    assert len(checks) == 21
    assert not failed, "\n".join(failed)


def test_smoke_notices_a_threshold_raised_by_hand(backend, aws):
    _, outputs, _ = backend
    name = outputs["alarm_names"]["target_5xx_rate"]
    (alarm,) = aws["cloudwatch"].describe_alarms(AlarmNames=[name])["MetricAlarms"]
    aws["cloudwatch"].put_metric_alarm(**raised_threshold(alarm, 50.0))
    try:
        checks = {c.name: c for c in check_backend(outputs)}
        broken = checks["alarms watch the service's metrics at their thresholds"]
        assert not broken.ok
        assert "target_5xx_rate: threshold 50.0, expected 10" in broken.detail
    finally:
        aws["cloudwatch"].put_metric_alarm(**raised_threshold(alarm, alarm["Threshold"]))


def raised_threshold(alarm: dict, threshold: float) -> dict:
    keep = (
        "AlarmName",
        "AlarmDescription",
        "ActionsEnabled",
        "OKActions",
        "AlarmActions",
        "EvaluationPeriods",
        "DatapointsToAlarm",
        "ComparisonOperator",
        "TreatMissingData",
        "Metrics",
    )
    return {key: alarm[key] for key in keep if key in alarm} | {"Threshold": threshold}


def test_an_alarm_firing_is_what_the_service_rolls_back_on(backend, aws):
    """The service names the 5xx alarm; CloudWatch lets it be forced into ALARM and back."""
    _, outputs, _ = backend
    name = outputs["alarm_names"]["target_5xx_rate"]
    config = service(aws)["deploymentConfiguration"]["alarms"]
    assert name in config["alarmNames"] and config["rollback"] is True
    cloudwatch = aws["cloudwatch"]
    cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="test")
    try:
        (alarm,) = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
        assert alarm["StateValue"] == "ALARM"
    finally:
        cloudwatch.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="test over")


def test_smoke_command_reads_the_live_root_outputs(backend, capsys):
    root, _, work = backend
    repo = root.path.parents[2]
    data_dir = work / "tfdata" / "dev" / "backend"
    args = ["smoke", "backend", "--env", "dev", "--repo", str(repo)]
    code = cli.main([*args, "--tf-data-dir", str(data_dir), "--output", "json"])
    report = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in report if not c["ok"]] == []
    assert code == 0


def test_smoke_notices_a_port_opened_on_the_service(backend, aws):
    group = service(aws)["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"][0]
    opened = aws["ec2"].authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )["SecurityGroupRules"]
    try:
        checks = {c.name: c for c in check_backend(backend[1])}
        broken = checks["service security group admits only the load balancer"]
        assert not broken.ok
        assert "'tcp', 22, 22, '0.0.0.0/0'" in broken.detail
        assert checks["HTTPS listener forwards to the target group"].ok
    finally:
        rule_ids = [rule["SecurityGroupRuleId"] for rule in opened]
        aws["ec2"].revoke_security_group_ingress(GroupId=group, SecurityGroupRuleIds=rule_ids)


def test_execution_role_reads_only_its_repository_and_log_group(backend, aws):
    _, outputs, _ = backend
    task = aws["ecs"].describe_task_definition(taskDefinition=service(aws)["taskDefinition"])
    execution_role = task["taskDefinition"]["executionRoleArn"].rsplit("/", 1)[1]
    task_role = task["taskDefinition"]["taskRoleArn"].rsplit("/", 1)[1]
    (policy_name,) = aws["iam"].list_role_policies(RoleName=execution_role)["PolicyNames"]
    document = aws["iam"].get_role_policy(RoleName=execution_role, PolicyName=policy_name)
    statements = document["PolicyDocument"]["Statement"]
    by_sid = {s["Sid"]: s for s in statements}
    assert set(by_sid) == {
        "EcrAuthorizationToken",
        "EcrPullFromServiceRepository",
        "WriteServiceLogs",
    }
    wildcard = [s["Sid"] for s in statements if "*" in json.dumps(s["Resource"]).split('"')]
    assert wildcard == ["EcrAuthorizationToken"]
    assert by_sid["EcrPullFromServiceRepository"]["Resource"].endswith(f":repository/{NAME}")
    assert by_sid["WriteServiceLogs"]["Resource"].endswith(
        f":log-group:{outputs['log_group_name']}:log-stream:*"
    )
    assert aws["iam"].list_role_policies(RoleName=task_role)["PolicyNames"] == []
    assert aws["iam"].list_attached_role_policies(RoleName=task_role)["AttachedPolicies"] == []


def test_second_plan_is_empty(backend):
    empty, output = empty_plan(backend[0])
    assert empty, output


def test_a_deployed_revision_is_not_undone_by_terraform(backend, aws):
    ecs = aws["ecs"]
    current = ecs.describe_task_definition(taskDefinition=NAME)["taskDefinition"]
    keep = ("containerDefinitions", "cpu", "memory", "networkMode", "requiresCompatibilities")
    revision = {key: current[key] for key in keep}
    revision |= {
        "family": current["family"],
        "executionRoleArn": current["executionRoleArn"],
        "taskRoleArn": current["taskRoleArn"],
    }
    image = revision["containerDefinitions"][0]["image"].rsplit(":", 1)[0] + ":deployed-by-ci"
    revision["containerDefinitions"][0]["image"] = image
    # CI pushes before it deploys; an image missing from ECR fails the deployment and
    # the circuit breaker rolls it back (on the emulator as on AWS).
    aws["ecr"].put_image(
        repositoryName=image.split("/", 1)[1].rsplit(":", 1)[0],
        imageTag="deployed-by-ci",
        imageManifest=json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"digest": "sha256:" + "c" * 64, "size": 100},
                "layers": [{"digest": "sha256:" + "d" * 64, "size": 1000}],
            }
        ),
    )
    deployed = ecs.register_task_definition(**revision)["taskDefinition"]["taskDefinitionArn"]
    ecs.update_service(cluster=NAME, service=NAME, taskDefinition=deployed)

    empty, output = empty_plan(backend[0])
    assert empty, output
    assert service(aws)["taskDefinition"] == deployed


def test_a_desired_count_set_by_autoscaling_is_not_undone_by_terraform(backend, aws):
    aws["ecs"].update_service(cluster=NAME, service=NAME, desiredCount=3)

    empty, output = empty_plan(backend[0])
    assert empty, output
    assert service(aws)["desiredCount"] == 3


def test_destroy_leaves_nothing_behind(backend, aws):
    root, outputs, _ = backend
    terraform_revision = deregister_revisions_registered_outside_terraform(aws, root)
    root.destroy()

    ecs = aws["ecs"]
    services = ecs.describe_services(cluster=NAME, services=[NAME])["services"]
    assert all(s["status"] != "ACTIVE" for s in services)
    clusters = ecs.describe_clusters(clusters=[NAME])["clusters"]
    assert all(c["status"] == "INACTIVE" for c in clusters)
    # skip_destroy keeps Terraform's revision registered on purpose (a rollback target).
    active = ecs.list_task_definitions(familyPrefix=NAME, status="ACTIVE")["taskDefinitionArns"]
    assert active == [terraform_revision]

    lbs = aws["elbv2"].describe_load_balancers()["LoadBalancers"]
    assert [lb["LoadBalancerName"] for lb in lbs if lb["LoadBalancerName"] == NAME] == []
    groups = aws["elbv2"].describe_target_groups()["TargetGroups"]
    assert [g for g in groups if g["TargetGroupArn"] == outputs["target_group_arn"]] == []
    repos = aws["ecr"].describe_repositories()["repositories"]
    assert [r for r in repos if r["repositoryName"] == NAME] == []
    assert aws["logs"].describe_log_groups(logGroupNamePrefix="/ecs/dev/")["logGroups"] == []
    roles = aws["iam"].list_roles()["Roles"]
    assert [r["RoleName"] for r in roles if r["RoleName"].startswith(f"{NAME}-")] == []
    certificates = aws["acm"].list_certificates()["CertificateSummaryList"]
    assert [c for c in certificates if c["DomainName"] == DOMAIN] == []
    autoscaling = aws["autoscaling"]
    targets = autoscaling.describe_scalable_targets(
        ServiceNamespace="ecs", ResourceIds=[RESOURCE_ID]
    )
    assert targets["ScalableTargets"] == []
    policies = autoscaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=RESOURCE_ID)
    assert policies["ScalingPolicies"] == []
    security_groups = aws["ec2"].describe_security_groups()["SecurityGroups"]
    assert [g["GroupName"] for g in security_groups if g["GroupName"].startswith(f"{NAME}-")] == []
    assert records_for(aws["route53"], DOMAIN) == []
    assert_monitoring_destroyed(aws, outputs)


def assert_monitoring_destroyed(aws, outputs: dict) -> None:
    """No alarm, dashboard, topic or key alias is left; the topic's key waits for deletion."""
    cloudwatch = aws["cloudwatch"]
    assert cloudwatch.describe_alarms(AlarmNamePrefix=f"{NAME}-")["MetricAlarms"] == []
    dashboards = cloudwatch.list_dashboards(DashboardNamePrefix=NAME)["DashboardEntries"]
    assert dashboards == []
    topics = [t["TopicArn"] for t in aws["sns"].list_topics()["Topics"]]
    assert outputs["alarm_topic_arn"] not in topics
    aliases = [a["AliasName"] for a in aws["kms"].list_aliases()["Aliases"]]
    assert f"alias/{NAME}-alarms" not in aliases
    keys = [
        aws["kms"].describe_key(KeyId=k["KeyId"])["KeyMetadata"]
        for k in aws["kms"].list_keys()["Keys"]
    ]
    alarm_keys = [k for k in keys if k.get("Description", "").endswith(f"of {NAME}.")]
    assert alarm_keys and all(k["KeyState"] == "PendingDeletion" for k in alarm_keys)


def deregister_revisions_registered_outside_terraform(aws, root) -> str:
    """Deregister the revisions this test registered (as CI would); return Terraform's."""
    state = json.loads(root.tf("show", "-json").stdout)
    terraform_revision = next(
        r["values"]["arn"]
        for module in state["values"]["root_module"]["child_modules"]
        for r in module.get("resources", [])
        if r["type"] == "aws_ecs_task_definition"
    )
    ecs = aws["ecs"]
    for arn in ecs.list_task_definitions(familyPrefix=NAME, status="ACTIVE")["taskDefinitionArns"]:
        if arn != terraform_revision:
            ecs.deregister_task_definition(taskDefinition=arn)
    return terraform_revision


def records_for(route53, domain: str) -> list[tuple[str, str]]:
    zones = route53.list_hosted_zones_by_name(DNSName="acme-lms.com.")["HostedZones"]
    zone_id = next(z["Id"] for z in zones if z["Name"] == "acme-lms.com.")
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return [(r["Name"], r["Type"]) for r in records if r["Name"].rstrip(".").endswith(domain)]
