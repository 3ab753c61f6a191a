"""Application Auto Scaling gap fills (lmsops.emulator.gaps.autoscaling), on the emulator."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError


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
