"""ECS tasks that cannot start (lmsops.emulator.gaps.ecs_task_failures): missing images,
failing health checks, the circuit breaker.
"""

from __future__ import annotations

from emulator_helpers import ACCOUNT_REGISTRY, describe, push_image, unique, update_to

from lmsops.emulator.gaps import ecs_deployments, ecs_task_failures


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
