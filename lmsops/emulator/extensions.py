"""Fill the gaps between moto 5.2.5 and AWS that a Terraform apply of this project hits.

Every gap is one function below, with a docstring naming what moto lacks and the AWS
behaviour the function reproduces. `apply()` runs them all; the emulator's serve
process calls it before it imports the moto server app, so the environment-driven
settings are in place before moto reads them.

The rule: reproduce what AWS does, never make the emulator more permissive than AWS
(the S3 bucket-policy fix evaluates a condition, it does not drop the policy).
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape as xml_escape

# Seconds after which moto marks a DNS-validated ACM certificate ISSUED (default 60).
ACM_VALIDATION_WAIT_SECONDS = 1

# AWS default for a new ECS service that does not send availabilityZoneRebalancing:
# ENABLED when the service is compatible (replica scheduling, ECS deployment controller),
# DISABLED otherwise (ECS change of September 2025).
AZ_REBALANCING_ENABLED = "ENABLED"
AZ_REBALANCING_DISABLED = "DISABLED"

_applied = False


def apply() -> None:
    """Apply every extension once (idempotent)."""
    global _applied  # noqa: PLW0603 - one process-wide switch, patches must not stack
    if _applied:
        return
    load_aws_managed_iam_policies()
    shorten_acm_validation_wait()
    add_application_autoscaling_tagging()
    echo_ecs_availability_zone_rebalancing()
    echo_ecs_service_deployment_settings()
    evaluate_secure_transport_in_bucket_policies()
    fail_fast_on_unimplemented_actions()
    _applied = True


def load_aws_managed_iam_policies() -> None:
    """Gap: moto only knows AWS-managed IAM policies when asked to load them.

    AWS: every account can attach `arn:aws:iam::aws:policy/...` managed policies
    (e.g. `service-role/AmazonECSTaskExecutionRolePolicy`). moto loads its copy of
    them into each IAM backend only when MOTO_IAM_LOAD_MANAGED_POLICIES=true at the
    time the backend is created, so the variable is set before any moto import.
    """
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"


def shorten_acm_validation_wait() -> None:
    """Gap: moto keeps DNS-validated ACM certificates PENDING_VALIDATION for 60 s.

    AWS: a certificate turns ISSUED shortly after its validation CNAME resolves,
    which `aws_acm_certificate_validation` waits for. moto has no DNS check; it
    issues the certificate once MOTO_ACM_VALIDATION_WAIT seconds have passed since
    the request. One second keeps the PENDING_VALIDATION → ISSUED transition visible
    without making every apply wait a minute.
    """
    os.environ["MOTO_ACM_VALIDATION_WAIT"] = str(ACM_VALIDATION_WAIT_SECONDS)
    from moto import settings

    settings.ACM_VALIDATION_WAIT = ACM_VALIDATION_WAIT_SECONDS


def add_application_autoscaling_tagging() -> None:
    """Gap: application-autoscaling ListTagsForResource/TagResource/UntagResource are missing.

    AWS: scalable targets carry tags, addressed by their ScalableTargetARN (which moto
    does return from RegisterScalableTarget and DescribeScalableTargets, and which the
    provider stores as `arn`); RegisterScalableTarget accepts `Tags` on creation. Without
    ListTagsForResource `aws_appautoscaling_target` retries its read until it gives up.
    Tags live on the target object, so deregistering a target drops them; an unknown ARN
    is a ResourceNotFoundException, as on AWS.
    """
    from moto.applicationautoscaling import models
    from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
    from moto.core.exceptions import JsonRESTError

    class ResourceNotFoundException(JsonRESTError):
        def __init__(self, arn: str) -> None:
            super().__init__("ResourceNotFoundException", f"No scalable target found for {arn}")

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
        return _json({"Tags": dict(find_target(self).tags)})

    def tag_resource(self: ApplicationAutoScalingResponse) -> str:
        target = find_target(self)
        target.tags = {**target.tags, **(self._get_param("Tags") or {})}
        return _json({})

    def untag_resource(self: ApplicationAutoScalingResponse) -> str:
        target = find_target(self)
        removed = set(self._get_param("TagKeys") or [])
        target.tags = {key: value for key, value in target.tags.items() if key not in removed}
        return _json({})

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


def echo_ecs_availability_zone_rebalancing() -> None:
    """Gap: moto's ECS CreateService ignores availabilityZoneRebalancing.

    AWS: the service stores the value sent to CreateService and returns it from
    Create/Describe/UpdateService; when CreateService omits it AWS picks ENABLED for a
    compatible service (REPLICA scheduling, ECS deployment controller) and DISABLED
    otherwise; UpdateService without it keeps the current value. moto drops it on
    create, so the provider plans a change on every run. (moto's UpdateService already
    stores it, as it copies every parameter onto the service.)
    """
    from moto.ecs.models import Service
    from moto.ecs.responses import EC2ContainerServiceResponse

    # Services made by other paths (e.g. CloudFormation) answer DISABLED, as old AWS ones.
    Service.availability_zone_rebalancing = AZ_REBALANCING_DISABLED
    original_create = EC2ContainerServiceResponse.create_service

    def create_service(self: EC2ContainerServiceResponse) -> Any:
        result = original_create(self)
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        service.availability_zone_rebalancing = self._get_param(
            "availabilityZoneRebalancing"
        ) or default_availability_zone_rebalancing(service)
        return result

    EC2ContainerServiceResponse.create_service = create_service


def default_availability_zone_rebalancing(service: Any) -> str:
    """AWS's choice when CreateService does not say: ENABLED if the service supports it."""
    compatible = (
        service.scheduling_strategy == "REPLICA"
        and service.deployment_controller.get("type", "ECS") == "ECS"
    )
    return AZ_REBALANCING_ENABLED if compatible else AZ_REBALANCING_DISABLED


# CreateService parameters moto accepts but does not keep, with what AWS answers when
# the request leaves them out (None: AWS leaves the field out of the service too).
ECS_SERVICE_ECHOED_PARAMETERS: dict[str, Any] = {
    "healthCheckGracePeriodSeconds": None,
    "deploymentConfiguration": {
        "deploymentCircuitBreaker": {"enable": False, "rollback": False},
        "maximumPercent": 200,
        "minimumHealthyPercent": 100,
    },
    "enableExecuteCommand": False,
    "enableECSManagedTags": False,
    "placementConstraints": [],
    "placementStrategy": [],
}


def echo_ecs_service_deployment_settings() -> None:
    """Gap: moto's ECS CreateService drops health-check grace, deployment and exec settings.

    AWS: CreateService stores `healthCheckGracePeriodSeconds`, `deploymentConfiguration`
    (circuit breaker, minimum/maximum percent), `enableExecuteCommand`,
    `enableECSManagedTags`, `placementConstraints` and `placementStrategy`, and
    DescribeServices returns them (with AWS's defaults when not sent). moto forgets
    them, so `health_check_grace_period_seconds` plans a change on every run and a
    boto3 check of the circuit breaker sees nothing. UpdateService already keeps them
    (moto copies every UpdateService parameter onto the service).
    """
    from moto.core.utils import camelcase_to_underscores
    from moto.ecs.responses import EC2ContainerServiceResponse

    original_create = EC2ContainerServiceResponse.create_service

    def create_service(self: EC2ContainerServiceResponse) -> Any:
        result = original_create(self)
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        for name, default in ECS_SERVICE_ECHOED_PARAMETERS.items():
            value = self._get_param(name)
            if value is None:
                value = copy.deepcopy(default)
            if value is not None:
                setattr(service, camelcase_to_underscores(name), value)
        return result

    EC2ContainerServiceResponse.create_service = create_service


def evaluate_secure_transport_in_bucket_policies() -> None:
    """Gap: moto applies S3 bucket-policy statements but not their `Bool` conditions.

    AWS: a statement applies only when its condition holds; the usual TLS-only policy
    `Deny s3:* to "*" if Bool aws:SecureTransport = false` therefore refuses plain HTTP
    and lets HTTPS through. moto's evaluator knows only StringEquals, treats every
    other operator as satisfied, and (written for trust policies) turns a failed
    condition into an explicit deny, so that Deny refuses every request (403).

    This evaluates bucket policies with `bucket_policy_permission`: the `Bool`
    operator is added (case-insensitive "true"/"false", as IAM compares it),
    `aws:SecureTransport` comes from the connection the request arrived on (the WSGI
    url_scheme of the current request), and a statement whose condition is false does
    not apply. The policy is evaluated, never dropped: a statement denying on
    `aws:SecureTransport = true` still denies HTTPS requests.
    """
    from moto.s3.models import FakeBucket

    def get_permission(self: FakeBucket, action: str, resource: str) -> Any:
        from moto.iam.access_control import PermissionResult

        if self.policy is None:
            return PermissionResult.NEUTRAL
        return bucket_policy_permission(
            json.loads(self.policy.decode()),
            action,
            resource,
            current_request_condition_values(),
        )

    FakeBucket.get_permission = get_permission


def bucket_policy_permission(
    policy: dict[str, Any],
    action: str,
    resource: str,
    condition_values: Mapping[str, str] | None,
) -> Any:
    """AWS evaluation of a resource policy: an applicable Deny wins, then any Allow."""
    from moto.iam import policy_conditions
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    policy_conditions.CONDITION_OPERATIONS["Bool"] = bool_condition_matches

    class ConditionalStatement(IAMPolicyStatement):
        def is_action_permitted(self, action, resource="*", principal=None, values=None):
            if not self._check_conditions(values):
                return PermissionResult.NEUTRAL  # a statement whose condition is false is inert
            return super().is_action_permitted(action, resource, principal, values)

    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    results = [
        ConditionalStatement(statement).is_action_permitted(
            action, resource, None, condition_values
        )
        for statement in statements
    ]
    if PermissionResult.DENIED in results:
        return PermissionResult.DENIED
    if PermissionResult.PERMITTED in results:
        return PermissionResult.PERMITTED
    return PermissionResult.NEUTRAL


def fail_fast_on_unimplemented_actions() -> None:
    """Gap: an action moto does not implement answers HTTP 500, which clients retry.

    AWS answers a request it does not support with a client-visible error rather than
    an internal one (e.g. S3's 501 NotImplemented). moto raises NotImplementedError,
    which its server turns into a 500; the AWS SDKs treat 500 as transient, and the
    Terraform AWS provider retries it 25 times with back-off (AWS_MAX_ATTEMPTS does
    not lower that), so a missing feature looks like a hang. This answers such
    requests with 501 NotImplemented (not retried by botocore or the Go SDK) and the
    reason in the body, so an emulator gap fails in seconds and says what is missing.
    """
    from moto.moto_server import werkzeug_app

    original_factory = werkzeug_app.create_backend_app

    def create_backend_app(service: str) -> Any:
        app = original_factory(service)
        app.register_error_handler(NotImplementedError, not_implemented_response)
        return app

    werkzeug_app.create_backend_app = create_backend_app


def not_implemented_response(error: NotImplementedError) -> Any:
    """A 501 in the error format of the request's protocol (JSON or XML)."""
    from flask import Response, request

    message = str(error) or "This operation is not implemented by the local emulator."
    message = f"{message} (lmsops emulator: moto does not implement this)"
    content_type = request.headers.get("Content-Type", "")
    if "json" in content_type:
        body = json.dumps({"__type": "NotImplemented", "message": message})
        mimetype = "application/x-amz-json-1.1"
    else:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>NotImplemented</Code><Message>{xml_escape(message)}</Message></Error>"
        )
        mimetype = "application/xml"
    response = Response(body, status=501, mimetype=mimetype)
    response.headers["x-amzn-ErrorType"] = "NotImplemented"
    return response


def bool_condition_matches(expected: Any, actual: str) -> bool:
    """IAM `Bool`: the request value equals one of the expected values, ignoring case."""
    expected_values = expected if isinstance(expected, list) else [expected]
    return any(str(value).lower() == str(actual).lower() for value in expected_values)


class ConditionKeys(Mapping[str, str]):
    """Request context values; IAM condition keys are case-insensitive."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = {key.lower(): value for key, value in values.items()}

    def __getitem__(self, key: str) -> str:
        return self._values[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._values

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def condition_values_for(environ: Mapping[str, Any]) -> ConditionKeys:
    """The global condition keys a WSGI request ENVIRON supports (aws:SecureTransport)."""
    secure = environ.get("wsgi.url_scheme") == "https"
    return ConditionKeys({"aws:SecureTransport": "true" if secure else "false"})


def current_request_condition_values() -> ConditionKeys | None:
    """Condition keys of the request being served, or None outside a request (in-process)."""
    from flask import has_request_context, request

    if not has_request_context():
        return None
    return condition_values_for(request.environ)


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data)
