"""S3 in the emulator: bucket policies are evaluated with their conditions, anonymous
requests are authorised as AWS does, delete markers can be deleted.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlparse

import flask
from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam import policy_conditions
from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.s3.exceptions import S3ClientError
from moto.s3.models import FakeBucket, FakeDeleteMarker
from moto.s3.responses import S3Response

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

    def get_permission(self: FakeBucket, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        return bucket_policy_permission(
            json.loads(self.policy.decode()),
            action,
            resource,
            current_request_condition_values(),
        )

    FakeBucket.get_permission = get_permission


class ConditionalStatement(IAMPolicyStatement):
    """A policy statement whose false condition makes it inert (moto's turns it into a Deny)."""

    def is_action_permitted(self, action, resource="*", principal=None, values=None):
        if not self._check_conditions(values):
            return PermissionResult.NEUTRAL
        return super().is_action_permitted(action, resource, principal, values)

    def _check_conditions(self, values):
        conditions = dict(self._statement.get("Condition") or {})
        nulls = conditions.pop("Null", None)
        if nulls is not None and not null_condition_holds(nulls, values or {}):
            return False
        others = IAMPolicyStatement({**self._statement, "Condition": conditions})
        return others._check_conditions(values)


def bucket_policy_permission(
    policy: dict[str, Any],
    action: str,
    resource: str,
    condition_values: Mapping[str, str] | None,
) -> Any:
    """AWS evaluation of a resource policy: an applicable Deny wins, then any Allow."""
    policy_conditions.CONDITION_OPERATIONS["Bool"] = bool_condition_matches
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
    if not hasattr(FakeDeleteMarker, "dispose"):
        FakeDeleteMarker.dispose = lambda self, garbage=False: None


def is_anonymous(request: Any) -> bool:
    """No Authorization header and no query-string (presigned) signature."""
    url = getattr(request, "url", "") or getattr(request, "path", "")
    return "Authorization" not in request.headers and "Signature=" not in url


def anonymous_s3_action(key: str | None, method: str, query: Mapping[str, Any]) -> str:
    """The IAM action an S3 request needs (the common cases; unknown ones fail closed)."""
    method = method.upper()
    if key:
        verbs = {"GET": "Get", "HEAD": "Get", "PUT": "Put", "POST": "Put", "DELETE": "Delete"}
        suffix = next((s for q, s in S3_OBJECT_SUBRESOURCES.items() if q in query), "")
        if "uploads" in query or "uploadId" in query:
            return "s3:AbortMultipartUpload" if method == "DELETE" else "s3:PutObject"
        if "versionId" in query and not suffix:
            suffix = "Version"
        return f"s3:{verbs.get(method, method.title())}Object{suffix}"
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
    secure = environ.get("wsgi.url_scheme") == "https"
    values = {"aws:SecureTransport": "true" if secure else "false"}
    query = str(environ.get("QUERY_STRING", ""))
    if "HTTP_AUTHORIZATION" in environ or "Signature=" in query:
        values["aws:PrincipalArn"] = f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:root"
    return ConditionKeys(values)


def current_request_condition_values() -> ConditionKeys | None:
    """Condition keys of the request being served, or None outside a request (in-process)."""
    if not flask.has_request_context():
        return None
    return condition_values_for(flask.request.environ)
