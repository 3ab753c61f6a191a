"""Gap fills of moto's server as a whole (lmsops.emulator.gaps.moto_server): a 501 for
what moto lacks, one request at a time.
"""

from __future__ import annotations

import threading
import time

import boto3
import pytest
from botocore.exceptions import ClientError
from emulator_helpers import unique

from lmsops.emulator.gaps.moto_server import serialize_requests


def test_unimplemented_action_fails_at_once_with_501(emulator):
    ecs = boto3.client("ecs")
    with pytest.raises(ClientError) as error:
        ecs.list_service_deployments(service="anything")
    response = error.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert response["ResponseMetadata"]["RetryAttempts"] == 0
    assert "not been implemented" in response["Error"]["Message"]


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

    app = serialize_requests(slow_app)
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
