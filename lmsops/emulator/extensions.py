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
import logging
import os
import threading
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape as xml_escape

from lmsops.emulator.ecs_deployments import emulate_ecs_deployments, fail_ecs_deployments_on_alarms
from lmsops.emulator.ecs_task_failures import fail_ecs_deployments_whose_tasks_cannot_start

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
    fail_ecs_deployments_on_alarms()
    fail_ecs_deployments_whose_tasks_cannot_start()
    emulate_ecs_deployments()
    run_fargate_tasks_without_container_memory()
    describe_latest_active_task_definition()
    keep_descriptions_of_security_group_reference_rules()
    recreate_deleted_route53_records()
    evaluate_secure_transport_in_bucket_policies()
    authorize_anonymous_s3_requests()
    dispose_of_s3_delete_markers()
    add_cloudfront_response_headers_policies()
    derive_cloudfront_default_certificate_flag()
    combine_cloudwatch_describe_alarms_filters()
    fail_fast_on_unimplemented_actions()
    _applied = True


_request_lock = threading.Lock()


def serialize_requests(app: Callable) -> Callable:
    """Gap: moto's backends are not thread-safe, but its server is threaded.

    AWS applies each API call atomically. moto updates shared lists with
    read-modify-write (e.g. `group.egress_rules = [r for r in ... if ...]` in
    RevokeSecurityGroupEgress), and Terraform sends up to ten calls at once, so two
    calls on one resource can lose an update (seen: a destroy failing with
    InvalidPermission.NotFound for a rule Terraform had created). The emulator now
    answers one request at a time; moto answers each in milliseconds, and the
    response body is read inside the lock so no handler runs outside it.
    """

    def serialized(environ: dict, start_response: Callable) -> list[bytes]:
        with _request_lock:
            return list(app(environ, start_response))

    return serialized


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
    `aws:SecureTransport = true` still denies HTTPS requests. The `Null` operator is
    evaluated too, with `aws:PrincipalArn` present on signed requests only (see
    null_condition_holds).
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

        def _check_conditions(self, values):
            conditions = dict(self._statement.get("Condition") or {})
            nulls = conditions.pop("Null", None)
            if nulls is not None and not null_condition_holds(nulls, values or {}):
                return False
            others = IAMPolicyStatement({**self._statement, "Condition": conditions})
            return others._check_conditions(values)

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


def combine_cloudwatch_describe_alarms_filters() -> None:
    """Gap: CloudWatch DescribeAlarms applies only one of its filters and ignores AlarmTypes.

    AWS: the filters combine: `AlarmNames` (or `AlarmNamePrefix`, `ActionPrefix`) with
    `StateValue` returns only the named alarms in that state, and `AlarmTypes` limits the
    answer to metric and/or composite alarms (metric alarms only when it is not sent).
    moto picks the first filter present, so `AlarmNames` + `StateValue=ALARM` returns the
    named alarms in every state, and a deploy's bake would see quiet alarms as firing.
    The state and type filters now apply on top of the name filters.
    """
    from moto.cloudwatch.responses import CloudWatchResponse

    original = CloudWatchResponse.describe_alarms

    def describe_alarms(self: CloudWatchResponse) -> Any:
        response = original(self)
        state = self._get_param("StateValue")
        types = self._get_param("AlarmTypes") or ["MetricAlarm"]
        result = response.result
        for key in ("MetricAlarms", "CompositeAlarms"):
            kept = result.get(key, []) if key[:-1] in types else []
            result[key] = [a for a in kept if not state or a.state_value == state]
        return response

    CloudWatchResponse.describe_alarms = describe_alarms


def fail_fast_on_unimplemented_actions() -> None:
    """Gap: an action moto does not implement (or crashes on) answers HTTP 500, which is retried.

    AWS answers a request it does not support with a client-visible error rather than
    an internal one (e.g. S3's 501 NotImplemented), and never fails the same request
    with a 500 every time. moto raises NotImplementedError for a missing action and lets
    other exceptions of its own escape (e.g. a KeyError on an optional parameter); its
    server turns both into a 500. The AWS SDKs treat 500 as transient, and the Terraform
    AWS provider retries it 25 times with back-off (AWS_MAX_ATTEMPTS does not lower
    that), so a missing feature looks like a hang. Both now answer 501 (not retried by
    botocore or the Go SDK) with the reason in the body (code NotImplemented or
    EmulatorError), so an emulator gap fails in seconds and says what is missing.
    Errors moto means to return (HTTP errors, AWS error responses) are unchanged.
    """
    from moto.moto_server import werkzeug_app

    original_factory = werkzeug_app.create_backend_app

    def create_backend_app(service: str) -> Any:
        app = original_factory(service)
        app.register_error_handler(Exception, emulator_error_response)
        return app

    werkzeug_app.create_backend_app = create_backend_app


def emulator_error_response(error: Exception) -> Any:
    """A 501 in the error format of the request's protocol (JSON or XML)."""
    from flask import Response, request
    from werkzeug.exceptions import HTTPException

    if isinstance(error, HTTPException):
        return error  # an HTTP error moto raised on purpose
    if isinstance(error, NotImplementedError):
        code = "NotImplemented"
        reason = str(error) or "This operation is not implemented."
        message = f"{reason} (lmsops emulator: moto does not implement this)"
    else:
        code = "EmulatorError"
        message = (
            f"lmsops emulator: moto failed on this request with {type(error).__name__}: "
            f"{error}; see the emulator log"
        )
        logging.getLogger(__name__).exception("moto failed on %s %s", request.method, request.url)
    if "json" in request.headers.get("Content-Type", ""):
        body = json.dumps({"__type": code, "message": message})
        mimetype = "application/x-amz-json-1.1"
    else:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{xml_escape(message)}</Message></Error>"
        )
        mimetype = "application/xml"
    response = Response(body, status=501, mimetype=mimetype)
    response.headers["x-amzn-ErrorType"] = code
    return response


def run_fargate_tasks_without_container_memory() -> None:
    """Gap: ECS RunTask fails (HTTP 500) when a container sets no memory of its own.

    AWS: Fargate task definitions usually size memory at task level only; containers
    without `memory`/`memoryReservation` are valid and RunTask starts the task. moto adds
    each container's memory to compute placement and crashes on None (`int += None`).
    A container without either value now counts as 0 (the task-level memory covers it).
    """
    from types import SimpleNamespace

    from moto.ecs.models import EC2ContainerServiceBackend

    original = EC2ContainerServiceBackend._calculate_task_resource_requirements

    def with_memory(container: dict[str, Any]) -> dict[str, Any]:
        keys = ("memory", "memoryReservation", "Memory", "MemoryReservation")
        return container if any(key in container for key in keys) else {**container, "memory": 0}

    def calculate(task_definition: Any) -> dict[str, Any]:
        containers = [with_memory(c) for c in task_definition.container_definitions]
        return original(SimpleNamespace(container_definitions=containers))

    EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(calculate)


def describe_latest_active_task_definition() -> None:
    """Gap: DescribeTaskDefinition of a bare family returns the newest revision even if INACTIVE.

    AWS: "If a revision isn't specified, the latest ACTIVE revision is used." moto takes the
    highest revision number, so after the newest revision is deregistered a deploy renders
    from a dead revision. A bare family now resolves to its highest ACTIVE revision (moto's
    answer stays when the family has none). Numbering of new revisions is unchanged.
    """
    from moto.ecs.models import EC2ContainerServiceBackend

    original = EC2ContainerServiceBackend.describe_task_definition

    def describe_task_definition(self: Any, task_definition_str: str) -> Any:
        name = task_definition_str.rsplit("/", maxsplit=1)[-1]
        if ":" not in name:
            active = [
                revision
                for revision, definition in self.task_definitions.get(name, {}).items()
                if definition.status == "ACTIVE"
            ]
            if active:
                return original(self, f"{name}:{max(active)}")
        return original(self, task_definition_str)

    EC2ContainerServiceBackend.describe_task_definition = describe_task_definition


def keep_descriptions_of_security_group_reference_rules() -> None:
    """Gap: EC2 drops the Description of rules that reference another security group.

    AWS: DescribeSecurityGroupRules returns the rule's Description for CIDR, prefix-list and
    referenced-group rules alike. moto reads it only from the CIDR range, so
    `aws_vpc_security_group_ingress_rule` with `referenced_security_group_id` plans
    `+ description` on every run. The description now also comes from the group pair.
    """
    from moto.ec2.models.security_groups import SecurityGroupRule

    def description(self: Any) -> str | None:
        return self.ip_range.get("Description") or (self.source_group or {}).get("Description")

    SecurityGroupRule.description = property(description)


_exact_record_lookup = threading.local()


def recreate_deleted_route53_records() -> None:
    """Gap: Route53 refuses to CREATE a record again after it was deleted.

    AWS: CREATE fails only when a record with exactly that name and type exists. moto,
    when the identical CREATE is in the zone's change journal, lists every record from
    that name on (ListResourceRecordSets order) and fails if ANY exists, so re-applying a
    root after a destroy fails with "... but it already exists" whenever a record sorting
    after it (e.g. an ACM validation CNAME) is still there. During ChangeResourceRecordSets
    that lookup now returns only the exact name and type (ListResourceRecordSets, which
    uses the same lookup, is unchanged: the switch is per request thread).
    """
    from moto.route53.models import FakeZone, Route53Backend

    original_change = Route53Backend.change_resource_record_sets
    original_lookup = FakeZone.get_record_sets

    def change_resource_record_sets(self: Any, zoneid: str, change_list: Any) -> Any:
        _exact_record_lookup.active = True
        try:
            return original_change(self, zoneid, change_list)
        finally:
            _exact_record_lookup.active = False

    def get_record_sets(self: Any, start_type: str, start_name: str) -> Any:
        if not getattr(_exact_record_lookup, "active", False):
            return original_lookup(self, start_type, start_name)
        wanted = start_name.strip(".").lower()
        return [
            record
            for record in self.rrsets
            if record.name.strip(".").lower() == wanted and record.type == start_type
        ]

    Route53Backend.change_resource_record_sets = change_resource_record_sets
    FakeZone.get_record_sets = get_record_sets


def authorize_anonymous_s3_requests() -> None:
    """Gap: moto lets unsigned (anonymous) S3 requests do almost anything.

    AWS: a request without credentials is allowed only when the bucket policy allows the
    action to Principal "*" (a public policy is ignored when RestrictPublicBuckets is on),
    or an ACL grants it to AllUsers (ignored with BucketOwnerEnforced or IgnorePublicAcls);
    an applicable Deny always wins; a refusal is 403 AccessDenied with the usual XML body.
    HEAD Object is authorised by s3:GetObject. moto checks anonymous object requests only
    partly (a new key can be written, refusals have no body, HEAD is refused because it
    looks for "s3:HeadObject") and bucket requests not at all (anyone can list).
    This evaluates every unsigned request against the policy and ACLs as above before
    moto handles it, and gives moto's own bare 403s (a signed request refused by a Deny)
    the AccessDenied body; signed requests are otherwise untouched.
    """
    from moto.s3.models import FakeBucket
    from moto.s3.responses import S3Response

    original_bucket_response = S3Response._bucket_response
    original_key_response = S3Response._key_response
    original_get_permission = FakeBucket.get_permission

    def _bucket_response(self: Any, request: Any, full_url: str) -> Any:
        bucket_name = self.parse_bucket_name_from_url(request, full_url)
        if bucket_name and is_anonymous(request):
            query = self._get_querystring(request, full_url)
            refusal = anonymous_refusal(self.backend, bucket_name, None, request.method, query)
            if refusal is not None:
                return refusal
        return original_bucket_response(self, request, full_url)

    def _key_response(self: Any, request: Any, full_url: str) -> Any:
        if is_anonymous(request):
            bucket_name = self.parse_bucket_name_from_url(request, full_url)
            key_name = self.parse_key_name()
            query = parse_qs(urlparse(full_url).query, keep_blank_values=True)
            refusal = anonymous_refusal(self.backend, bucket_name, key_name, request.method, query)
            if refusal is not None:
                return refusal
        response = original_key_response(self, request, full_url)
        # moto refuses by policy with an empty 403; S3 always says AccessDenied.
        if isinstance(response, tuple) and response[0] == 403 and not response[-1]:
            return access_denied()
        return response

    def get_permission(self: Any, action: str, resource: str) -> Any:
        # moto names HEAD Object "s3:HeadObject"; IAM authorises it as s3:GetObject.
        return original_get_permission(self, S3_ACTION_ALIASES.get(action, action), resource)

    S3Response._bucket_response = _bucket_response
    S3Response._key_response = _key_response
    FakeBucket.get_permission = get_permission


def dispose_of_s3_delete_markers() -> None:
    """Gap: moto crashes deleting versions of a key with a delete marker once versioning is off.

    AWS: DeleteObjects with version ids removes those versions (delete markers
    included) whether versioning is enabled or suspended; `terraform destroy` of a
    site bucket with `force_destroy` does exactly that after suspending versioning.
    moto then takes its unversioned path, which disposes of every stored version of
    the key, and its delete markers have no `dispose` (AttributeError, a 500). A
    delete marker holds no data, so disposing of it is doing nothing.
    """
    from moto.s3.models import FakeDeleteMarker

    if not hasattr(FakeDeleteMarker, "dispose"):
        FakeDeleteMarker.dispose = lambda self, garbage=False: None


S3_ACTION_ALIASES = {"s3:HeadObject": "s3:GetObject"}
# Object sub-resources whose IAM action is s3:<Verb>Object<Suffix>.
S3_OBJECT_SUBRESOURCES = {"acl": "Acl", "tagging": "Tagging", "retention": "Retention"}
S3_BUCKET_LIST_SUBRESOURCES = {"versions": "s3:ListBucketVersions"}
# Query parameters of ListObjects(V2): a bucket GET with only these is s3:ListBucket.
S3_LIST_PARAMETERS = frozenset(
    {
        "list-type",
        "prefix",
        "delimiter",
        "max-keys",
        "marker",
        "continuation-token",
        "start-after",
        "encoding-type",
        "fetch-owner",
        "x-id",
    }
)


def is_anonymous(request: Any) -> bool:
    """No Authorization header and no query-string (presigned) signature."""
    url = getattr(request, "url", "") or getattr(request, "path", "")
    return "Authorization" not in request.headers and "Signature=" not in url


def anonymous_s3_action(key: str | None, method: str, query: Mapping[str, Any]) -> str:
    """The IAM action an S3 request needs (the common cases; unknown ones fail closed)."""
    method = method.upper()
    if key:
        verb = {"GET": "Get", "HEAD": "Get", "PUT": "Put", "POST": "Put", "DELETE": "Delete"}
        suffix = next((s for q, s in S3_OBJECT_SUBRESOURCES.items() if q in query), "")
        if "uploads" in query or "uploadId" in query:
            return "s3:AbortMultipartUpload" if method == "DELETE" else "s3:PutObject"
        if "versionId" in query and not suffix:
            suffix = "Version"
        return f"s3:{verb.get(method, method.title())}Object{suffix}"
    if method in ("GET", "HEAD") and not set(query) - S3_LIST_PARAMETERS:
        return "s3:ListBucket"
    for name, action in S3_BUCKET_LIST_SUBRESOURCES.items():
        if name in query:
            return action
    if method == "POST" and "delete" in query:
        return "s3:DeleteObject"
    subresource = next(iter(sorted(query)), "")
    verb = {"GET": "Get", "HEAD": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method, "Put")
    if not subresource:
        return {"PUT": "s3:CreateBucket", "DELETE": "s3:DeleteBucket"}.get(method, "s3:Unknown")
    return f"s3:{verb}Bucket{subresource[:1].upper()}{subresource[1:]}"


def anonymous_refusal(
    backend: Any, bucket_name: str, key: str | None, method: str, query: Mapping[str, Any]
) -> Any:
    """None when AWS would let an anonymous caller do this; else the 403 AccessDenied."""
    from moto.iam.access_control import PermissionResult
    from moto.s3.exceptions import S3ClientError

    if method.upper() == "OPTIONS":
        return None  # CORS preflight is never signed
    try:
        bucket = backend.get_bucket(bucket_name)
    except S3ClientError:
        return None  # moto answers NoSuchBucket, as AWS does
    action = anonymous_s3_action(key, method, query)
    resource = f"arn:aws:s3:::{bucket_name}" + (f"/{key}" if key else "")
    permission = PermissionResult.NEUTRAL
    if bucket.policy:
        permission = bucket_policy_permission(
            json.loads(bucket.policy.decode()), action, resource, current_request_condition_values()
        )
    block = bucket.public_access_block
    if permission == PermissionResult.DENIED:
        return access_denied()
    if permission == PermissionResult.PERMITTED and not (block and block.restrict_public_buckets):
        return None
    if acl_grants_anonymous(backend, bucket, key, method, block):
        return None
    return access_denied()


def acl_grants_anonymous(
    backend: Any, bucket: Any, key: str | None, method: str, block: Any
) -> bool:
    """A public-read ACL lets anyone read (unless ACLs are disabled or public ACLs ignored)."""
    if bucket.ownership_rule == "BucketOwnerEnforced" or (block and block.ignore_public_acls):
        return False
    if method.upper() not in ("GET", "HEAD"):
        return False
    if key is None:
        return bool(bucket.acl and bucket.acl.public_read)
    from moto.s3.exceptions import S3ClientError

    try:
        obj = backend.get_object(bucket.name, key)
    except S3ClientError:
        return False  # a missing key grants nothing
    return bool(obj and obj.acl and obj.acl.public_read)


def access_denied() -> tuple[int, dict[str, str], str]:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
        f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
    )
    return 403, {"Content-Type": "application/xml"}, body


def null_condition_holds(expected: Mapping[str, Any], values: Mapping[str, str]) -> bool:
    """IAM `Null`: "true" holds when the request lacks the key, "false" when it has it.

    moto ignores the operator (so a Deny conditioned on it applies to everyone). The
    s3-website module denies its publish records to anonymous readers with
    `Null aws:PrincipalArn = true`, which signed requests must pass.
    """
    for key, wanted in expected.items():
        wanted_values = wanted if isinstance(wanted, list) else [wanted]
        absent = key not in values
        if not any((str(value).lower() == "true") == absent for value in wanted_values):
            return False
    return True


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
    """The global condition keys a WSGI request ENVIRON supports.

    aws:SecureTransport from the connection; aws:PrincipalArn only on signed requests
    (AWS leaves it out of anonymous ones), as the account's root: moto maps every
    access key to its one default account.
    """
    from moto.core import DEFAULT_ACCOUNT_ID

    secure = environ.get("wsgi.url_scheme") == "https"
    values = {"aws:SecureTransport": "true" if secure else "false"}
    query = str(environ.get("QUERY_STRING", ""))
    if "HTTP_AUTHORIZATION" in environ or "Signature=" in query:
        values["aws:PrincipalArn"] = f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:root"
    return ConditionKeys(values)


def current_request_condition_values() -> ConditionKeys | None:
    """Condition keys of the request being served, or None outside a request (in-process)."""
    from flask import has_request_context, request

    if not has_request_context():
        return None
    return condition_values_for(request.environ)


CLOUDFRONT_RESPONSE_HEADERS_POLICY_PATHS = (
    "{0}/2020-05-31/response-headers-policy$",
    "{0}/2020-05-31/response-headers-policy/(?P<Id>[^/]+)$",
    "{0}/2020-05-31/response-headers-policy/(?P<Id>[^/]+)/config$",
)


def add_cloudfront_response_headers_policies() -> None:
    """Gap: CloudFront response headers policies are missing (no route: 404 with an HTML page).

    AWS: CreateResponseHeadersPolicy answers 201 with the policy (Id, LastModifiedTime, the
    config echoed), an `ETag` and a `Location`; Get/GetConfig return it with its ETag;
    Update and Delete need `If-Match` with the current ETag (none: InvalidIfMatchVersion,
    another: PreconditionFailed) and every update issues a new ETag; an unknown id is
    NoSuchResponseHeadersPolicy; a second policy with the same name is
    ResponseHeadersPolicyAlreadyExists; a policy a distribution's cache behaviour still
    uses cannot be deleted (ResponseHeadersPolicyInUse). ListResponseHeadersPolicies lists
    the custom policies (AWS's managed ones are not reproduced: Type=managed lists none).
    `aws_cloudfront_response_headers_policy` needs all of these.
    """
    from moto.cloudfront import urls
    from moto.cloudfront.responses import CloudFrontResponse

    for path in CLOUDFRONT_RESPONSE_HEADERS_POLICY_PATHS:
        urls.url_paths[path] = CloudFrontResponse.dispatch

    CloudFrontResponse.create_response_headers_policy = _create_response_headers_policy
    CloudFrontResponse.get_response_headers_policy = _get_response_headers_policy
    CloudFrontResponse.get_response_headers_policy_config = _get_response_headers_policy_config
    CloudFrontResponse.update_response_headers_policy = _update_response_headers_policy
    CloudFrontResponse.delete_response_headers_policy = _delete_response_headers_policy
    CloudFrontResponse.list_response_headers_policies = _list_response_headers_policies


def _cloudfront_error(code: str, message: str) -> Exception:
    from moto.cloudfront.exceptions import CloudFrontException

    return CloudFrontException(code, message)


def _response_headers_policies(response: Any) -> dict[str, dict[str, Any]]:
    """The account's policies by id, kept on moto's CloudFront backend (reset with it)."""
    backend = response.backend
    if not hasattr(backend, "lmsops_response_headers_policies"):
        backend.lmsops_response_headers_policies = {}
    return backend.lmsops_response_headers_policies


def _stored_response_headers_policy(response: Any) -> dict[str, Any]:
    policy = _response_headers_policies(response).get(response._get_param("Id"))
    if policy is None:
        raise _cloudfront_error(
            "NoSuchResponseHeadersPolicy", "The response headers policy does not exist."
        )
    return policy


def _check_if_match(response: Any, policy: dict[str, Any]) -> None:
    if_match = response._get_param("IfMatch")
    if not if_match:
        from moto.cloudfront.exceptions import InvalidIfMatchVersion

        raise InvalidIfMatchVersion()
    if if_match != policy["ETag"]:
        raise _cloudfront_error(
            "PreconditionFailed",
            "The precondition in one or more of the request fields evaluated to false.",
        )


def _check_unique_policy_name(response: Any, name: str, own_id: str | None) -> None:
    for policy_id, policy in _response_headers_policies(response).items():
        if policy_id != own_id and policy["Config"].get("Name") == name:
            raise _cloudfront_error(
                "ResponseHeadersPolicyAlreadyExists",
                f"A response headers policy with this name already exists: {policy_id}",
            )


def _store_response_headers_policy(
    response: Any, policy_id: str, config: dict[str, Any]
) -> dict[str, Any]:
    from moto.cloudfront.models import random_id
    from moto.core.utils import utcnow

    policy = {"Id": policy_id, "Config": config, "ETag": random_id(), "LastModified": utcnow()}
    _response_headers_policies(response)[policy_id] = policy
    return policy


def _response_headers_policy_shape(policy: dict[str, Any]) -> dict[str, Any]:
    return {
        "Id": policy["Id"],
        "LastModifiedTime": policy["LastModified"],
        "ResponseHeadersPolicyConfig": policy["Config"],
    }


def _create_response_headers_policy(self: Any) -> Any:
    from moto.core.responses import ActionResult

    config = self._get_param("ResponseHeadersPolicyConfig") or {}
    _check_unique_policy_name(self, config.get("Name"), None)
    policy = _store_response_headers_policy(self, str(uuid.uuid4()), config)
    location = f"https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/{policy['Id']}"
    return ActionResult(
        {
            "ResponseHeadersPolicy": _response_headers_policy_shape(policy),
            "ETag": policy["ETag"],
            "Location": location,
        }
    )


def _get_response_headers_policy(self: Any) -> Any:
    from moto.core.responses import ActionResult

    policy = _stored_response_headers_policy(self)
    return ActionResult(
        {"ResponseHeadersPolicy": _response_headers_policy_shape(policy), "ETag": policy["ETag"]}
    )


def _get_response_headers_policy_config(self: Any) -> Any:
    from moto.core.responses import ActionResult

    policy = _stored_response_headers_policy(self)
    return ActionResult({"ResponseHeadersPolicyConfig": policy["Config"], "ETag": policy["ETag"]})


def _update_response_headers_policy(self: Any) -> Any:
    from moto.core.responses import ActionResult

    policy = _stored_response_headers_policy(self)
    _check_if_match(self, policy)
    config = self._get_param("ResponseHeadersPolicyConfig") or {}
    _check_unique_policy_name(self, config.get("Name"), policy["Id"])
    policy = _store_response_headers_policy(self, policy["Id"], config)
    return ActionResult(
        {"ResponseHeadersPolicy": _response_headers_policy_shape(policy), "ETag": policy["ETag"]}
    )


def _delete_response_headers_policy(self: Any) -> Any:
    from moto.core.responses import EmptyResult

    policy = _stored_response_headers_policy(self)
    _check_if_match(self, policy)
    if _distributions_using_response_headers_policy(self.backend, policy["Id"]):
        raise _cloudfront_error(
            "ResponseHeadersPolicyInUse",
            "Cannot delete the response headers policy because it is attached to one or more "
            "cache behaviors in a CloudFront distribution.",
        )
    del _response_headers_policies(self)[policy["Id"]]
    return EmptyResult()


def _distributions_using_response_headers_policy(backend: Any, policy_id: str) -> list[str]:
    users = []
    for distribution_id, distribution in backend.distributions.items():
        config = distribution.distribution_config
        behaviours = [config.DefaultCacheBehavior, *(config.CacheBehaviors.get("Items") or [])]
        if any(getattr(b, "response_headers_policy_id", None) == policy_id for b in behaviours):
            users.append(distribution_id)
    return users


def _list_response_headers_policies(self: Any) -> Any:
    from moto.core.responses import ActionResult

    wanted = self._get_param("Type")
    policies = [] if wanted == "managed" else list(_response_headers_policies(self).values())
    max_items = self._get_int_param("MaxItems") or 100
    items = [
        {"Type": "custom", "ResponseHeadersPolicy": _response_headers_policy_shape(policy)}
        for policy in policies
    ]
    return ActionResult(
        {
            "ResponseHeadersPolicyList": {
                "MaxItems": max_items,
                "Quantity": len(items),
                "Items": items or None,
            }
        }
    )


def derive_cloudfront_default_certificate_flag() -> None:
    """Gap: a distribution with its own certificate still reports the CloudFront default one.

    AWS: a viewer certificate names one source; with `ACMCertificateArn` (or
    `IAMCertificateId`) GetDistribution answers `CloudFrontDefaultCertificate` false,
    `CertificateSource` "acm" ("iam") and `Certificate` the ARN (id). moto defaults the
    flag to true whenever the request leaves it out, as the provider does with an ACM
    certificate, so `aws_cloudfront_distribution` plans
    `- cloudfront_default_certificate = true -> null` on every run. The flag and source
    now follow the certificate sent; a request that sets the flag keeps its value.
    """
    from moto.cloudfront.models import ViewerCertificate

    original_init = ViewerCertificate.__init__

    def __init__(self: Any, config: dict[str, Any]) -> None:
        original_init(self, config)
        own = [("acm", self.acm_certificate_arn), ("iam", self.iam_certificate_id)]
        source, certificate = next(((s, c) for s, c in own if c), ("cloudfront", ""))
        if "CloudFrontDefaultCertificate" not in config:
            self.cloud_front_default_certificate = source == "cloudfront"
        if certificate:
            self.certificate_source = source
            self.certificate = certificate

    ViewerCertificate.__init__ = __init__


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data)
