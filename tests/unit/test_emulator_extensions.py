"""Each emulator extension, checked with boto3 against the session emulator."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from lmsops.emulator import ecs_deployments, ecs_task_failures, extensions

EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def ecs_service(emulator):
    """A cluster with a task definition; yields (client, cluster name, family)."""
    ecs = boto3.client("ecs")
    cluster = unique("cluster")
    ecs.create_cluster(clusterName=cluster)
    family = unique("family")
    ecs.register_task_definition(
        family=family, containerDefinitions=[{"name": "app", "image": "app:1", "memory": 128}]
    )
    return ecs, cluster, family


def test_scalable_target_tags_can_be_listed_added_and_removed(ecs_service):
    ecs, cluster, family = ecs_service
    ecs.create_service(cluster=cluster, serviceName="api", taskDefinition=family, desiredCount=1)
    aas = boto3.client("application-autoscaling")
    resource_id = f"service/{cluster}/api"
    arn = aas.register_scalable_target(
        ServiceNamespace="ecs",
        ResourceId=resource_id,
        ScalableDimension="ecs:service:DesiredCount",
        MinCapacity=1,
        MaxCapacity=4,
        Tags={"Project": "lms"},
    )["ScalableTargetARN"]

    described = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[resource_id])
    assert described["ScalableTargets"][0]["ScalableTargetARN"] == arn
    assert arn.startswith("arn:aws:application-autoscaling:us-east-1:")
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"Project": "lms"}

    aas.tag_resource(ResourceARN=arn, Tags={"Tier": "api", "Project": "lms2"})
    aas.untag_resource(ResourceARN=arn, TagKeys=["Tier"])
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"Project": "lms2"}

    missing = arn.rsplit("/", 1)[0] + "/doesnotexist"
    with pytest.raises(ClientError) as error:
        aas.list_tags_for_resource(ResourceARN=missing)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_aws_managed_iam_policy_exists_and_attaches(emulator):
    iam = boto3.client("iam")
    policy = iam.get_policy(PolicyArn=EXECUTION_POLICY)["Policy"]
    assert policy["PolicyName"] == "AmazonECSTaskExecutionRolePolicy"

    role = unique("exec")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName=role, PolicyArn=EXECUTION_POLICY)
    attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [EXECUTION_POLICY]


def test_acm_certificate_goes_from_pending_validation_to_issued_within_seconds(emulator):
    acm = boto3.client("acm")
    arn = acm.request_certificate(DomainName="api.dev.example.com", ValidationMethod="DNS")[
        "CertificateArn"
    ]
    first = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert first["Status"] == "PENDING_VALIDATION"
    record = first["DomainValidationOptions"][0]["ResourceRecord"]
    assert record["Type"] == "CNAME"

    deadline = time.monotonic() + extensions.ACM_VALIDATION_WAIT_SECONDS + 4
    status = first["Status"]
    while status != "ISSUED" and time.monotonic() < deadline:
        time.sleep(0.5)
        status = acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"]
    assert status == "ISSUED"


def test_ecs_service_echoes_availability_zone_rebalancing(ecs_service):
    ecs, cluster, family = ecs_service
    created = ecs.create_service(
        cluster=cluster,
        serviceName="sent",
        taskDefinition=family,
        desiredCount=1,
        availabilityZoneRebalancing="DISABLED",
    )["service"]
    assert created["availabilityZoneRebalancing"] == "DISABLED"
    ecs.create_service(
        cluster=cluster, serviceName="default", taskDefinition=family, desiredCount=1
    )

    def described() -> dict[str, str]:
        services = ecs.describe_services(cluster=cluster, services=["sent", "default"])
        return {s["serviceName"]: s["availabilityZoneRebalancing"] for s in services["services"]}

    # AWS default for a new replica service that does not say: ENABLED.
    assert described() == {"sent": "DISABLED", "default": "ENABLED"}

    ecs.update_service(cluster=cluster, service="sent", availabilityZoneRebalancing="ENABLED")
    ecs.update_service(cluster=cluster, service="default", desiredCount=2)  # keeps its value
    assert described() == {"sent": "ENABLED", "default": "ENABLED"}


def test_ecs_service_echoes_deployment_settings(ecs_service):
    ecs, cluster, family = ecs_service
    breaker = {"enable": True, "rollback": True}
    ecs.create_service(
        cluster=cluster,
        serviceName="api",
        taskDefinition=family,
        desiredCount=1,
        healthCheckGracePeriodSeconds=60,
        deploymentConfiguration={
            "deploymentCircuitBreaker": breaker,
            "maximumPercent": 200,
            "minimumHealthyPercent": 50,
        },
        enableExecuteCommand=True,
    )
    ecs.create_service(cluster=cluster, serviceName="plain", taskDefinition=family, desiredCount=1)
    services = ecs.describe_services(cluster=cluster, services=["api", "plain"])["services"]
    api, plain = sorted(services, key=lambda s: s["serviceName"] != "api")

    assert api["healthCheckGracePeriodSeconds"] == 60
    assert api["deploymentConfiguration"]["deploymentCircuitBreaker"] == breaker
    assert api["deploymentConfiguration"]["minimumHealthyPercent"] == 50
    assert api["enableExecuteCommand"] is True
    assert "healthCheckGracePeriodSeconds" not in plain
    assert plain["deploymentConfiguration"]["deploymentCircuitBreaker"] == {
        "enable": False,
        "rollback": False,
    }
    assert plain["enableExecuteCommand"] is False


def secure_transport_policy(bucket: str, secure_transport: str) -> str:
    """Deny every S3 action to everyone when aws:SecureTransport equals SECURE_TRANSPORT."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyBySecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": secure_transport}},
                }
            ],
        }
    )


@pytest.fixture
def bucket_with_object(emulator):
    s3 = boto3.client("s3")
    bucket = unique("tls")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="state", Body=b"serial 1")
    return s3, bucket


def test_tls_only_bucket_policy_lets_https_requests_through(bucket_with_object):
    s3, bucket = bucket_with_object
    s3.put_bucket_policy(Bucket=bucket, Policy=secure_transport_policy(bucket, "false"))

    assert s3.get_object(Bucket=bucket, Key="state")["Body"].read() == b"serial 1"
    s3.put_object(Bucket=bucket, Key="state", Body=b"serial 2")
    assert s3.get_object(Bucket=bucket, Key="state")["Body"].read() == b"serial 2"
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]["Effect"] == (
        "Deny"
    )


def test_bucket_policy_denying_secure_transport_still_denies_https(bucket_with_object):
    s3, bucket = bucket_with_object
    s3.put_bucket_policy(Bucket=bucket, Policy=secure_transport_policy(bucket, "true"))

    with pytest.raises(ClientError) as error:
        s3.get_object(Bucket=bucket, Key="state")
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error.value.response["Error"]["Code"] == "AccessDenied"


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [("http", "DENIED"), ("https", "NEUTRAL")],
)
def test_tls_only_policy_evaluation_depends_on_the_connection(scheme, expected):
    policy = json.loads(secure_transport_policy("state", "false"))
    values = extensions.condition_values_for({"wsgi.url_scheme": scheme})

    result = extensions.bucket_policy_permission(
        policy, "s3:GetObject", "arn:aws:s3:::state/key", values
    )
    assert result.name == expected


def test_unimplemented_action_fails_at_once_with_501(emulator):
    ecs = boto3.client("ecs")
    started = time.monotonic()
    with pytest.raises(ClientError) as error:
        ecs.list_service_deployments(service="anything")
    response = error.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert response["ResponseMetadata"]["RetryAttempts"] == 0
    assert "not been implemented" in response["Error"]["Message"]
    assert time.monotonic() - started < 5


def test_ecs_update_to_a_new_revision_starts_a_deployment_that_then_completes(ecs_service):
    ecs, cluster, family = ecs_service
    ecs.create_service(cluster=cluster, serviceName="api", taskDefinition=family, desiredCount=2)
    first = ecs.describe_services(cluster=cluster, services=["api"])["services"][0]
    assert [d["rolloutState"] for d in first["deployments"]] == ["COMPLETED"]
    revision_2 = ecs.register_task_definition(
        family=family, containerDefinitions=[{"name": "app", "image": "app:2", "memory": 128}]
    )["taskDefinition"]["taskDefinitionArn"]

    updated = ecs.update_service(cluster=cluster, service="api", taskDefinition=f"{family}:2")
    deployments = updated["service"]["deployments"]
    assert [(d["status"], d["rolloutState"]) for d in deployments] == [
        ("PRIMARY", "IN_PROGRESS"),
        ("ACTIVE", "COMPLETED"),
    ]
    assert deployments[0]["taskDefinition"] == revision_2
    assert deployments[0]["id"] != deployments[1]["id"]

    service = ecs.describe_services(cluster=cluster, services=["api"])["services"][0]
    assert [(d["id"], d["rolloutState"]) for d in service["deployments"]] == [
        (deployments[0]["id"], "COMPLETED")
    ]
    assert service["taskDefinition"] == revision_2
    assert (service["runningCount"], service["pendingCount"]) == (2, 0)
    assert service["events"][0]["message"].endswith("has reached a steady state.")


ACCOUNT_REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com"


def push_image(repository: str, tag: str) -> str:
    """Put an image into the emulator's ECR (creating the repository); its digest."""
    ecr = boto3.client("ecr")
    with contextlib.suppress(ecr.exceptions.RepositoryAlreadyExistsException):
        ecr.create_repository(repositoryName=repository)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"digest": f"sha256:{uuid.uuid4().hex * 2}", "size": 100},
        "layers": [{"digest": f"sha256:{uuid.uuid4().hex * 2}", "size": 1000}],
    }
    image = ecr.put_image(
        repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag
    )["image"]
    return image["imageId"]["imageDigest"]


@pytest.fixture
def breaker_service(emulator):
    """A service (desired 1, circuit breaker with rollback) running a pushed ECR image.

    Returns (client, cluster, family, deployment id of the running revision, repository).
    """
    ecs = boto3.client("ecs")
    cluster = unique("cluster")
    ecs.create_cluster(clusterName=cluster)
    family = unique("family")
    repository = unique("repo")
    push_image(repository, "good")
    ecs.register_task_definition(
        family=family,
        containerDefinitions=[
            {"name": "app", "image": f"{ACCOUNT_REGISTRY}/{repository}:good", "memory": 128}
        ],
    )
    ecs.create_service(
        cluster=cluster,
        serviceName="api",
        taskDefinition=family,
        desiredCount=1,
        deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
        },
    )
    first = ecs.describe_services(cluster=cluster, services=["api"])["services"][0]
    return ecs, cluster, family, first["deployments"][0]["id"], repository


def update_to(ecs, cluster: str, family: str, **container) -> tuple[str, str]:
    """Register a revision with CONTAINER's settings, update the service; (arn, deployment)."""
    arn = ecs.register_task_definition(
        family=family, containerDefinitions=[{"name": "app", "memory": 128, **container}]
    )["taskDefinition"]["taskDefinitionArn"]
    service = ecs.update_service(cluster=cluster, service="api", taskDefinition=arn)["service"]
    return arn, service["deployments"][0]["id"]


def describe(ecs, cluster: str) -> dict:
    return ecs.describe_services(cluster=cluster, services=["api"])["services"][0]


def test_ecs_deployment_of_an_image_missing_from_ecr_fails_and_rolls_back(breaker_service):
    ecs, cluster, family, first_deployment, repository = breaker_service
    previous = describe(ecs, cluster)["taskDefinition"]
    image = f"{ACCOUNT_REGISTRY}/{repository}:never-pushed"
    new, deployment = update_to(ecs, cluster, family, image=image)

    # Desired 1: the circuit breaker trips at its minimum of 3 failed tasks, one per describe.
    for failed in (1, 2):
        ours = describe(ecs, cluster)["deployments"][0]
        assert (ours["id"], ours["rolloutState"], ours["failedTasks"]) == (
            deployment,
            "IN_PROGRESS",
            failed,
        )
    service = describe(ecs, cluster)
    rollback, failed = service["deployments"]
    assert (failed["id"], failed["status"], failed["rolloutState"], failed["failedTasks"]) == (
        deployment,
        "ACTIVE",
        "FAILED",
        3,
    )
    assert failed["rolloutStateReason"] == ecs_deployments.CIRCUIT_BREAKER_REASON
    assert (rollback["status"], rollback["rolloutState"], rollback["taskDefinition"]) == (
        "PRIMARY",
        "IN_PROGRESS",
        previous,
    )
    assert first_deployment in rollback["rolloutStateReason"]
    assert service["taskDefinition"] == previous
    messages = [e["message"] for e in service["events"]]
    assert messages[0] == f"(service api) rolling back to deployment {first_deployment}."
    assert f"(deployment {deployment}) deployment failed: tasks failed to start." in messages[1]
    assert "failed to start: CannotPullContainerError" in messages[2]

    settled = describe(ecs, cluster)
    assert [(d["id"], d["rolloutState"]) for d in settled["deployments"]] == [
        (rollback["id"], "COMPLETED")
    ]

    stopped = ecs.list_tasks(cluster=cluster, desiredStatus="STOPPED", startedBy=deployment)
    assert len(stopped["taskArns"]) == 3
    assert (
        ecs.list_tasks(cluster=cluster, startedBy=deployment, desiredStatus="RUNNING")["taskArns"]
        == []
    )
    tasks = ecs.describe_tasks(cluster=cluster, tasks=stopped["taskArns"])["tasks"]
    reason = (
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): "
        f"failed to resolve ref {image}: {image}: not found"
    )
    for task in tasks:
        assert (task["lastStatus"], task["stopCode"], task["stoppedReason"]) == (
            "STOPPED",
            "TaskFailedToStart",
            reason,
        )
        assert task["taskDefinitionArn"] == new
        assert task["group"] == "service:api"
        assert [(c["name"], c["reason"]) for c in task["containers"]] == [("app", reason)]
        assert "exitCode" not in task["containers"][0]


def test_ecs_deployment_of_a_pushed_image_or_another_registrys_completes(breaker_service):
    ecs, cluster, family, _, repository = breaker_service
    digest = push_image(repository, "v2")
    for image in (
        f"{ACCOUNT_REGISTRY}/{repository}:v2",
        f"{ACCOUNT_REGISTRY}/{repository}@{digest}",
        "public.ecr.aws/docker/library/nginx:1.27",
        f"210987654321.dkr.ecr.us-east-1.amazonaws.com/{repository}:not-ours",
    ):
        new, deployment = update_to(ecs, cluster, family, image=image)
        service = describe(ecs, cluster)
        assert [(d["id"], d["rolloutState"], d["failedTasks"]) for d in service["deployments"]] == [
            (deployment, "COMPLETED", 0)
        ], image
        assert service["taskDefinition"] == new


def test_ecs_deployment_whose_digest_is_unknown_fails(breaker_service):
    ecs, cluster, family, _, repository = breaker_service
    image = f"{ACCOUNT_REGISTRY}/{repository}@sha256:{'0' * 64}"
    update_to(ecs, cluster, family, image=image)
    ours = describe(ecs, cluster)["deployments"][0]
    assert (ours["rolloutState"], ours["failedTasks"]) == ("IN_PROGRESS", 1)


def test_ecs_deployment_with_the_unhealthy_marker_fails_its_health_checks(breaker_service):
    ecs, cluster, family, _, repository = breaker_service
    _, deployment = update_to(
        ecs,
        cluster,
        family,
        image=f"{ACCOUNT_REGISTRY}/{repository}:good",
        dockerLabels={
            ecs_task_failures.EMULATOR_HEALTH_LABEL: ecs_task_failures.EMULATOR_UNHEALTHY
        },
    )
    for _ in range(3):
        service = describe(ecs, cluster)
    assert [(d["id"], d["rolloutState"]) for d in service["deployments"]][1] == (
        deployment,
        "FAILED",
    )
    assert "(service api) (task " in service["events"][2]["message"]
    assert service["events"][2]["message"].endswith("failed container health checks.")
    arns = ecs.list_tasks(cluster=cluster, desiredStatus="STOPPED", startedBy=deployment)
    task = ecs.describe_tasks(cluster=cluster, tasks=arns["taskArns"][:1])["tasks"][0]
    assert (task["stoppedReason"], task["healthStatus"]) == (
        "Task failed container health checks",
        "UNHEALTHY",
    )
    assert (task["containers"][0]["healthStatus"], task["containers"][0]["exitCode"]) == (
        "UNHEALTHY",
        137,
    )


def test_ecs_deployment_without_circuit_breaker_keeps_failing_tasks(ecs_service):
    ecs, cluster, family = ecs_service
    ecs.create_service(cluster=cluster, serviceName="api", taskDefinition=family, desiredCount=1)
    _, deployment = update_to(
        ecs, cluster, family, image=f"{ACCOUNT_REGISTRY}/{unique('absent')}:1"
    )
    for _ in range(5):
        service = describe(ecs, cluster)
    ours = service["deployments"][0]
    assert (ours["id"], ours["rolloutState"], ours["failedTasks"]) == (deployment, "IN_PROGRESS", 5)


def test_circuit_breaker_without_rollback_leaves_the_failed_deployment_primary(breaker_service):
    ecs, cluster, family, _, repository = breaker_service
    ecs.update_service(
        cluster=cluster,
        service="api",
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": False}},
    )
    new, deployment = update_to(
        ecs, cluster, family, image=f"{ACCOUNT_REGISTRY}/{repository}:missing"
    )
    for _ in range(4):
        service = describe(ecs, cluster)
    primary = service["deployments"][0]
    assert (primary["id"], primary["status"], primary["rolloutState"]) == (
        deployment,
        "PRIMARY",
        "FAILED",
    )
    assert service["taskDefinition"] == new


def test_ecs_circuit_breaker_threshold_follows_the_desired_count():
    assert [ecs_deployments.circuit_breaker_threshold(n) for n in (1, 6, 7, 10, 1000)] == [
        3,
        3,
        4,
        5,
        200,
    ]


def test_ecs_service_echoes_deployment_alarms(ecs_service):
    ecs, cluster, family = ecs_service
    alarms = {"alarmNames": ["lms-5xx", "lms-latency"], "enable": True, "rollback": True}
    ecs.create_service(
        cluster=cluster,
        serviceName="api",
        taskDefinition=family,
        desiredCount=1,
        deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
            "alarms": alarms,
        },
    )
    assert describe(ecs, cluster)["deploymentConfiguration"]["alarms"] == alarms

    changed = {**alarms, "alarmNames": ["lms-5xx"], "rollback": False}
    ecs.update_service(
        cluster=cluster,
        service="api",
        deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "alarms": changed,
        },
    )
    assert describe(ecs, cluster)["deploymentConfiguration"]["alarms"] == changed


def test_fargate_run_task_without_container_memory_starts_the_task(ecs_service):
    ecs, cluster, _ = ecs_service
    family = unique("fargate")
    ecs.register_task_definition(
        family=family,
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[{"name": "migrate", "image": "app:1", "essential": True}],
    )
    ec2 = boto3.client("ec2")
    subnet = ec2.describe_subnets()["Subnets"][0]
    group = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [subnet["VpcId"]]}])[
        "SecurityGroups"
    ][0]
    network = {"subnets": [subnet["SubnetId"]], "securityGroups": [group["GroupId"]]}
    tasks = ecs.run_task(
        cluster=cluster,
        taskDefinition=family,
        launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": network},
    )["tasks"]
    assert len(tasks) == 1
    assert tasks[0]["taskDefinitionArn"].endswith(f"{family}:1")


def test_bare_family_describes_the_latest_active_revision(ecs_service):
    ecs, _, family = ecs_service
    ecs.register_task_definition(
        family=family, containerDefinitions=[{"name": "app", "image": "app:2", "memory": 128}]
    )
    assert ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]["revision"] == 2
    ecs.deregister_task_definition(taskDefinition=f"{family}:2")
    assert ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]["revision"] == 1


def test_rule_referencing_a_security_group_keeps_its_description(emulator):
    ec2 = boto3.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    groups = [
        ec2.create_security_group(GroupName=unique(n), Description=n, VpcId=vpc["VpcId"])["GroupId"]
        for n in ("alb", "svc")
    ]
    alb, svc = groups
    ec2.authorize_security_group_ingress(
        GroupId=svc,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 4000,
                "ToPort": 4000,
                "UserIdGroupPairs": [{"GroupId": alb, "Description": "App port from the ALB"}],
            }
        ],
    )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [svc]}])
    ingress = [r for r in rules["SecurityGroupRules"] if not r["IsEgress"]]
    assert [(r["ReferencedGroupInfo"]["GroupId"], r["Description"]) for r in ingress] == [
        (alb, "App port from the ALB")
    ]


def test_route53_record_can_be_created_again_after_it_was_deleted(emulator):
    route53 = boto3.client("route53")
    zone = unique("zone") + ".com"
    zone_id = route53.create_hosted_zone(Name=zone, CallerReference=unique("ref"))["HostedZone"][
        "Id"
    ]

    def change(action: str, name: str, kind: str, value: str) -> None:
        record = {"Name": name, "Type": kind, "TTL": 60, "ResourceRecords": [{"Value": value}]}
        route53.change_resource_record_sets(
            HostedZoneId=zone_id,
            ChangeBatch={"Changes": [{"Action": action, "ResourceRecordSet": record}]},
        )

    api = f"api.{zone}"
    change("CREATE", api, "A", "192.0.2.10")
    change("CREATE", f"_validation.{api}", "CNAME", "target.example.com")  # sorts after api
    change("DELETE", api, "A", "192.0.2.10")
    change("CREATE", api, "A", "192.0.2.10")

    names = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    assert (f"{api}.", "A") in {(r["Name"], r["Type"]) for r in names}
    with pytest.raises(ClientError) as duplicate:
        change("CREATE", api, "A", "192.0.2.10")
    assert duplicate.value.response["Error"]["Code"] == "InvalidChangeBatch"


@pytest.fixture
def public_site(emulator):
    """A website bucket as the s3-website module makes it: public GetObject only."""
    s3 = boto3.client("s3")
    bucket = unique("site")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_ownership_controls(
        Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read))
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"<h1>hi</h1>", ContentType="text/html")
    anonymous = boto3.client(
        "s3", config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"})
    )
    return s3, anonymous, bucket


def error_code(call) -> str:
    with pytest.raises(ClientError) as error:
        call()
    return error.value.response["Error"]["Code"]


def test_anonymous_reads_follow_the_public_read_policy(public_site):
    _, anonymous, bucket = public_site
    assert anonymous.get_object(Bucket=bucket, Key="index.html")["Body"].read() == b"<h1>hi</h1>"
    head = anonymous.head_object(Bucket=bucket, Key="index.html")
    assert head["ContentType"] == "text/html"
    assert error_code(lambda: anonymous.list_objects_v2(Bucket=bucket)) == "AccessDenied"


def test_anonymous_writes_are_refused_with_access_denied(public_site):
    s3, anonymous, bucket = public_site
    for key in ("index.html", "new.html"):
        assert (
            error_code(lambda k=key: anonymous.put_object(Bucket=bucket, Key=k, Body=b"x"))
            == "AccessDenied"
        )
    assert (
        error_code(lambda: anonymous.delete_object(Bucket=bucket, Key="index.html"))
        == "AccessDenied"
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == ["index.html"]
    assert s3.get_object(Bucket=bucket, Key="index.html")["Body"].read() == b"<h1>hi</h1>"
    s3.put_object(Bucket=bucket, Key="new.html", Body=b"signed")  # credentials still work


def test_anonymous_read_without_a_public_policy_is_refused(public_site):
    s3, anonymous, bucket = public_site
    s3.delete_bucket_policy(Bucket=bucket)
    assert (
        error_code(lambda: anonymous.get_object(Bucket=bucket, Key="index.html")) == "AccessDenied"
    )


def test_a_request_moto_crashes_on_fails_at_once_with_501(ecs_service):
    """RunTask without securityGroups makes moto 5.2.5 raise KeyError (AWS uses the default SG)."""
    ecs, cluster, _ = ecs_service
    family = unique("awsvpc")
    ecs.register_task_definition(
        family=family,
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[{"name": "app", "image": "app:1", "memory": 512}],
    )
    subnet = boto3.client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    with pytest.raises(ClientError) as error:
        ecs.run_task(
            cluster=cluster,
            taskDefinition=family,
            launchType="FARGATE",
            networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet]}},
        )
    response = error.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert response["ResponseMetadata"]["RetryAttempts"] == 0
    assert response["Error"]["Code"] == "EmulatorError"
    assert "KeyError" in response["Error"]["Message"]


SECURITY_HEADERS_POLICY = {
    "Comment": "Security headers",
    "SecurityHeadersConfig": {
        "StrictTransportSecurity": {
            "Override": True,
            "IncludeSubdomains": True,
            "Preload": False,
            "AccessControlMaxAgeSec": 31536000,
        },
        "ContentTypeOptions": {"Override": True},
        "FrameOptions": {"Override": True, "FrameOption": "DENY"},
        "ReferrerPolicy": {"Override": True, "ReferrerPolicy": "strict-origin-when-cross-origin"},
    },
}


def test_cloudfront_response_headers_policy_lifecycle_follows_etags(emulator):
    cloudfront = boto3.client("cloudfront")
    config = {"Name": unique("headers"), **SECURITY_HEADERS_POLICY}
    created = cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=config)
    policy_id = created["ResponseHeadersPolicy"]["Id"]
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["Location"].endswith(f"/2020-05-31/response-headers-policy/{policy_id}")

    fetched = cloudfront.get_response_headers_policy(Id=policy_id)
    assert fetched["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"] == config
    assert fetched["ETag"] == created["ETag"]
    assert (
        cloudfront.get_response_headers_policy_config(Id=policy_id)["ResponseHeadersPolicyConfig"]
        == config
    )
    listed = cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]
    assert policy_id in [item["ResponseHeadersPolicy"]["Id"] for item in listed["Items"]]

    with pytest.raises(ClientError) as duplicate:
        cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=config)
    assert duplicate.value.response["Error"]["Code"] == "ResponseHeadersPolicyAlreadyExists"

    updated = cloudfront.update_response_headers_policy(
        Id=policy_id,
        IfMatch=fetched["ETag"],
        ResponseHeadersPolicyConfig={**config, "Comment": "changed"},
    )
    assert updated["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Comment"] == "changed"
    assert updated["ETag"] != fetched["ETag"]

    with pytest.raises(ClientError) as stale:
        cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch=fetched["ETag"])
    assert stale.value.response["Error"]["Code"] == "PreconditionFailed"

    cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch=updated["ETag"])
    with pytest.raises(ClientError) as gone:
        cloudfront.get_response_headers_policy(Id=policy_id)
    assert gone.value.response["Error"]["Code"] == "NoSuchResponseHeadersPolicy"
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def distribution_config(viewer_certificate: dict) -> dict:
    return {
        "CallerReference": unique("ref"),
        "Comment": "",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "site",
                    "DomainName": "site.example.com",
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "http-only",
                    },
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "MinTTL": 0,
        },
        "ViewerCertificate": viewer_certificate,
    }


def test_cloudfront_certificate_flag_follows_the_certificate_sent(emulator):
    cloudfront = boto3.client("cloudfront")
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/" + str(uuid.uuid4())
    own = cloudfront.create_distribution(
        DistributionConfig=distribution_config(
            {
                "ACMCertificateArn": arn,
                "SSLSupportMethod": "sni-only",
                "MinimumProtocolVersion": "TLSv1.2_2021",
            }
        )
    )["Distribution"]
    certificate = cloudfront.get_distribution(Id=own["Id"])["Distribution"]["DistributionConfig"][
        "ViewerCertificate"
    ]
    assert certificate["CloudFrontDefaultCertificate"] is False
    assert certificate["ACMCertificateArn"] == arn
    assert certificate["CertificateSource"] == "acm"

    default = cloudfront.create_distribution(
        DistributionConfig=distribution_config({"CloudFrontDefaultCertificate": True})
    )["Distribution"]
    certificate = default["DistributionConfig"]["ViewerCertificate"]
    assert certificate["CloudFrontDefaultCertificate"] is True
    assert certificate["CertificateSource"] == "cloudfront"


def test_response_headers_policy_in_use_cannot_be_deleted(emulator):
    cloudfront = boto3.client("cloudfront")
    created = cloudfront.create_response_headers_policy(
        ResponseHeadersPolicyConfig={"Name": unique("headers"), **SECURITY_HEADERS_POLICY}
    )
    policy_id = created["ResponseHeadersPolicy"]["Id"]
    config = distribution_config({"CloudFrontDefaultCertificate": True})
    config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] = policy_id
    response = cloudfront.create_distribution(DistributionConfig=config)
    distribution = response["Distribution"]
    assert (
        distribution["DistributionConfig"]["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]
        == policy_id
    )

    with pytest.raises(ClientError) as in_use:
        cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch=created["ETag"])
    assert in_use.value.response["Error"]["Code"] == "ResponseHeadersPolicyInUse"

    cloudfront.delete_distribution(Id=distribution["Id"], IfMatch=response["ETag"])
    cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch=created["ETag"])


def test_requests_are_answered_one_at_a_time():
    """moto's backends are not thread-safe: the server must not run two handlers at once."""
    state = {"active": 0, "peak": 0}
    guard = threading.Lock()

    def slow_app(environ, start_response):
        with guard:
            state["active"] += 1
            state["peak"] = max(state["peak"], state["active"])
        time.sleep(0.02)
        with guard:
            state["active"] -= 1
        start_response("200 OK", [])
        return iter([b"ok"])

    app = extensions.serialize_requests(slow_app)
    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(app({}, lambda *_: None))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [[b"ok"]] * 8
    assert state["peak"] == 1


def anonymous_deny_policy(bucket: str) -> dict:
    """Public read of BUCKET, except `.lmsops/` keys for callers without aws:PrincipalArn."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            },
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                "Resource": f"arn:aws:s3:::{bucket}/.lmsops/*",
                "Condition": {"Null": {"aws:PrincipalArn": "true"}},
            },
        ],
    }


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"wsgi.url_scheme": "https"}, "DENIED"),
        ({"wsgi.url_scheme": "https", "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 ..."}, "PERMITTED"),
        ({"wsgi.url_scheme": "https", "QUERY_STRING": "X-Amz-Signature=ab"}, "PERMITTED"),
    ],
    ids=["anonymous", "signed", "presigned"],
)
def test_null_principal_arn_condition_denies_only_anonymous_requests(environ, expected):
    values = extensions.condition_values_for(environ)
    result = extensions.bucket_policy_permission(
        anonymous_deny_policy("site"), "s3:GetObject", "arn:aws:s3:::site/.lmsops/a.json", values
    )
    assert result.name == expected


def test_null_condition_false_needs_the_key():
    assert extensions.null_condition_holds({"aws:PrincipalArn": "false"}, {}) is False
    assert extensions.null_condition_holds({"aws:PrincipalArn": "true"}, {}) is True
    signed = extensions.condition_values_for({"HTTP_AUTHORIZATION": "x"})
    assert extensions.null_condition_holds({"aws:principalarn": "false"}, signed) is True


def test_anonymous_read_of_a_denied_prefix_is_refused_signed_read_is_not(public_site):
    s3, anonymous, bucket = public_site
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(anonymous_deny_policy(bucket)))
    s3.put_object(Bucket=bucket, Key=".lmsops/record.json", Body=b"{}")

    assert s3.get_object(Bucket=bucket, Key=".lmsops/record.json")["Body"].read() == b"{}"
    assert (
        error_code(lambda: anonymous.get_object(Bucket=bucket, Key=".lmsops/record.json"))
        == "AccessDenied"
    )
    assert anonymous.get_object(Bucket=bucket, Key="index.html")["Body"].read() == b"<h1>hi</h1>"


def test_versions_and_delete_markers_can_be_deleted_after_versioning_is_suspended(emulator):
    """What `terraform destroy` of a force_destroy bucket does once a publish deleted a key."""
    s3 = boto3.client("s3")
    bucket = unique("markers")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="page.html", Body=b"old")
    s3.delete_object(Bucket=bucket, Key="page.html")  # a delete marker on top
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    listed = s3.list_object_versions(Bucket=bucket)
    versions = listed.get("Versions", []) + listed.get("DeleteMarkers", [])
    assert len(versions) == 2

    response = s3.delete_objects(
        Bucket=bucket,
        Delete={"Objects": [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]},
    )

    assert response.get("Errors", []) == []
    listed = s3.list_object_versions(Bucket=bucket)
    assert listed.get("Versions", []) == listed.get("DeleteMarkers", []) == []
    s3.delete_bucket(Bucket=bucket)


def test_cloudwatch_describe_alarms_combines_name_state_and_type_filters(emulator):
    cloudwatch = boto3.client("cloudwatch")
    names = [unique("alarm") for _ in range(2)]
    for name in names:
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/ApplicationELB",
            MetricName="HTTPCode_Target_5XX_Count",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=5,
            ComparisonOperator="GreaterThanThreshold",
        )
    cloudwatch.set_alarm_state(AlarmName=names[1], StateValue="ALARM", StateReason="5xx")

    def described(**filters) -> list[str]:
        response = cloudwatch.describe_alarms(AlarmNames=names, **filters)
        return sorted(
            a["AlarmName"] for a in response["MetricAlarms"] + response["CompositeAlarms"]
        )

    assert described(StateValue="ALARM") == [names[1]]
    assert described() == sorted(names)
    assert described(AlarmTypes=["CompositeAlarm"]) == []
    assert described(AlarmTypes=["MetricAlarm", "CompositeAlarm"], StateValue="ALARM") == [names[1]]


@pytest.fixture
def alarmed_service(emulator):
    """A service (desired 1) whose deployment alarms (rollback on) name one metric alarm.

    Returns (ecs, cloudwatch, cluster, family, alarm name, repository).
    """
    ecs, cloudwatch = boto3.client("ecs"), boto3.client("cloudwatch")
    cluster, family, repository, alarm = (unique(p) for p in ("cluster", "fam", "repo", "5xx"))
    cloudwatch.put_metric_alarm(
        AlarmName=alarm,
        Namespace="AWS/ApplicationELB",
        MetricName="HTTPCode_Target_5XX_Count",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=5,
        ComparisonOperator="GreaterThanThreshold",
    )
    push_image(repository, "good")
    push_image(repository, "bad")
    ecs.create_cluster(clusterName=cluster)
    ecs.register_task_definition(
        family=family,
        containerDefinitions=[
            {"name": "app", "image": f"{ACCOUNT_REGISTRY}/{repository}:good", "memory": 128}
        ],
    )
    ecs.create_service(
        cluster=cluster,
        serviceName="api",
        taskDefinition=family,
        desiredCount=1,
        deploymentConfiguration={
            "alarms": {"alarmNames": [alarm], "enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
        },
    )
    describe(ecs, cluster)
    return ecs, cloudwatch, cluster, family, alarm, repository


def test_ecs_deployment_fails_and_rolls_back_when_a_deployment_alarm_is_in_alarm(
    alarmed_service,
):
    ecs, cloudwatch, cluster, family, alarm, repository = alarmed_service
    previous = describe(ecs, cluster)["taskDefinition"]
    _, deployment = update_to(ecs, cluster, family, image=f"{ACCOUNT_REGISTRY}/{repository}:bad")
    cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="5xx burst")

    service = describe(ecs, cluster)

    rollback, failed = service["deployments"]
    assert (failed["id"], failed["rolloutState"]) == (deployment, "FAILED")
    assert failed["rolloutStateReason"] == f"ECS deployment alarms detected: {alarm} in ALARM."
    assert (rollback["status"], rollback["taskDefinition"]) == ("PRIMARY", previous)
    assert rollback["rolloutStateReason"].startswith("ECS deployment alarms: rolling back")
    assert service["taskDefinition"] == previous
    # The rollback itself is not failed by the alarm that caused it.
    settled = describe(ecs, cluster)
    assert [(d["id"], d["rolloutState"]) for d in settled["deployments"]] == [
        (rollback["id"], "COMPLETED")
    ]


def test_ecs_deployment_completes_while_its_alarms_are_ok(alarmed_service):
    ecs, _, cluster, family, _, repository = alarmed_service
    new, deployment = update_to(ecs, cluster, family, image=f"{ACCOUNT_REGISTRY}/{repository}:bad")

    service = describe(ecs, cluster)

    assert [(d["id"], d["rolloutState"]) for d in service["deployments"]] == [
        (deployment, "COMPLETED")
    ]
    assert service["taskDefinition"] == new


def test_disabled_deployment_alarms_do_not_fail_a_deployment(alarmed_service):
    ecs, cloudwatch, cluster, family, alarm, repository = alarmed_service
    ecs.update_service(
        cluster=cluster,
        service="api",
        deploymentConfiguration={
            "alarms": {"alarmNames": [alarm], "enable": False, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
        },
    )
    describe(ecs, cluster)
    _, deployment = update_to(ecs, cluster, family, image=f"{ACCOUNT_REGISTRY}/{repository}:bad")
    cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="5xx burst")

    service = describe(ecs, cluster)

    assert [(d["id"], d["rolloutState"]) for d in service["deployments"]] == [
        (deployment, "COMPLETED")
    ]
