"""CloudFront in the emulator: response headers policies, and the viewer certificate's flags."""

from __future__ import annotations

import uuid
from typing import Any

from moto.cloudfront import urls
from moto.cloudfront.exceptions import CloudFrontException, InvalidIfMatchVersion
from moto.cloudfront.models import ViewerCertificate, random_id
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow

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
    for path in CLOUDFRONT_RESPONSE_HEADERS_POLICY_PATHS:
        urls.url_paths[path] = CloudFrontResponse.dispatch

    CloudFrontResponse.create_response_headers_policy = _create_response_headers_policy
    CloudFrontResponse.get_response_headers_policy = _get_response_headers_policy
    CloudFrontResponse.get_response_headers_policy_config = _get_response_headers_policy_config
    CloudFrontResponse.update_response_headers_policy = _update_response_headers_policy
    CloudFrontResponse.delete_response_headers_policy = _delete_response_headers_policy
    CloudFrontResponse.list_response_headers_policies = _list_response_headers_policies


def _response_headers_policies(response: Any) -> dict[str, dict[str, Any]]:
    """The account's policies by id, kept on moto's CloudFront backend (reset with it)."""
    backend = response.backend
    if not hasattr(backend, "lmsops_response_headers_policies"):
        backend.lmsops_response_headers_policies = {}
    return backend.lmsops_response_headers_policies


def _stored_response_headers_policy(response: Any) -> dict[str, Any]:
    policy = _response_headers_policies(response).get(response._get_param("Id"))
    if policy is None:
        raise CloudFrontException(
            "NoSuchResponseHeadersPolicy", "The response headers policy does not exist."
        )
    return policy


def _check_if_match(response: Any, policy: dict[str, Any]) -> None:
    if_match = response._get_param("IfMatch")
    if not if_match:
        raise InvalidIfMatchVersion()
    if if_match != policy["ETag"]:
        raise CloudFrontException(
            "PreconditionFailed",
            "The precondition in one or more of the request fields evaluated to false.",
        )


def _check_unique_policy_name(response: Any, name: str | None, own_id: str | None) -> None:
    for policy_id, policy in _response_headers_policies(response).items():
        if policy_id != own_id and policy["Config"].get("Name") == name:
            raise CloudFrontException(
                "ResponseHeadersPolicyAlreadyExists",
                f"A response headers policy with this name already exists: {policy_id}",
            )


def _store_response_headers_policy(
    response: Any, policy_id: str, config: dict[str, Any]
) -> dict[str, Any]:
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
    policy = _stored_response_headers_policy(self)
    return ActionResult(
        {"ResponseHeadersPolicy": _response_headers_policy_shape(policy), "ETag": policy["ETag"]}
    )


def _get_response_headers_policy_config(self: Any) -> Any:
    policy = _stored_response_headers_policy(self)
    return ActionResult({"ResponseHeadersPolicyConfig": policy["Config"], "ETag": policy["ETag"]})


def _update_response_headers_policy(self: Any) -> Any:
    policy = _stored_response_headers_policy(self)
    _check_if_match(self, policy)
    config = self._get_param("ResponseHeadersPolicyConfig") or {}
    _check_unique_policy_name(self, config.get("Name"), policy["Id"])
    policy = _store_response_headers_policy(self, policy["Id"], config)
    return ActionResult(
        {"ResponseHeadersPolicy": _response_headers_policy_shape(policy), "ETag": policy["ETag"]}
    )


def _delete_response_headers_policy(self: Any) -> Any:
    policy = _stored_response_headers_policy(self)
    _check_if_match(self, policy)
    if _distributions_using_response_headers_policy(self.backend, policy["Id"]):
        raise CloudFrontException(
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
