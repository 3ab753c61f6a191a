"""Application Auto Scaling in the emulator: scalable targets carry tags."""

from __future__ import annotations

import json
from typing import Any

from moto.applicationautoscaling import models
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.core.exceptions import JsonRESTError


class ResourceNotFoundException(JsonRESTError):
    def __init__(self, arn: str) -> None:
        super().__init__("ResourceNotFoundException", f"No scalable target found for {arn}")


def add_application_autoscaling_tagging() -> None:
    """Gap: application-autoscaling ListTagsForResource/TagResource/UntagResource are missing.

    AWS: scalable targets carry tags, addressed by their ScalableTargetARN (which moto
    does return from RegisterScalableTarget and DescribeScalableTargets, and which the
    provider stores as `arn`); RegisterScalableTarget accepts `Tags` on creation. Without
    ListTagsForResource `aws_appautoscaling_target` retries its read until it gives up.
    Tags live on the target object, so deregistering a target drops them; an unknown ARN
    is a ResourceNotFoundException, as on AWS.
    """
    models.FakeScalableTarget.tags = {}

    def find_target(response: ApplicationAutoScalingResponse) -> Any:
        arn = response._get_param("ResourceARN")
        backend = response.applicationautoscaling_backend
        for by_resource in backend.targets.values():
            for target in by_resource.values():
                if target.arn == arn:
                    return target
        raise ResourceNotFoundException(arn)

    def list_tags_for_resource(self: ApplicationAutoScalingResponse) -> str:
        return json.dumps({"Tags": dict(find_target(self).tags)})

    def tag_resource(self: ApplicationAutoScalingResponse) -> str:
        target = find_target(self)
        target.tags = {**target.tags, **(self._get_param("Tags") or {})}
        return json.dumps({})

    def untag_resource(self: ApplicationAutoScalingResponse) -> str:
        target = find_target(self)
        removed = set(self._get_param("TagKeys") or [])
        target.tags = {key: value for key, value in target.tags.items() if key not in removed}
        return json.dumps({})

    original_register = ApplicationAutoScalingResponse.register_scalable_target

    def register_scalable_target(self: ApplicationAutoScalingResponse) -> str:
        body = original_register(self)
        tags = self._get_param("Tags")
        if tags:
            target = self.applicationautoscaling_backend.targets[
                self._get_param("ScalableDimension")
            ][self._get_param("ResourceId")]
            target.tags = {**target.tags, **tags}
        return body

    ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource
    ApplicationAutoScalingResponse.tag_resource = tag_resource
    ApplicationAutoScalingResponse.untag_resource = untag_resource
    ApplicationAutoScalingResponse.register_scalable_target = register_scalable_target
