"""CloudFront gap fills (lmsops.emulator.gaps.cloudfront): response headers policies,
the default-certificate flag.
"""

from __future__ import annotations

import uuid

import boto3
import pytest
from botocore.exceptions import ClientError
from emulator_helpers import unique

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
