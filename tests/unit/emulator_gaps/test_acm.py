"""ACM gap fills (lmsops.emulator.gaps.acm), checked with boto3 against the session emulator."""

from __future__ import annotations

import time

import boto3

from lmsops.emulator.gaps.acm import ACM_VALIDATION_WAIT_SECONDS


def test_acm_certificate_goes_from_pending_validation_to_issued_within_seconds(emulator):
    acm = boto3.client("acm")
    # A new emulator's first ACM calls take about a second on a busy machine (moto loads
    # its ACM code), as long as the wait itself: warm it up before timing a certificate.
    warm_up = acm.request_certificate(DomainName="warm.example.com", ValidationMethod="DNS")
    acm.describe_certificate(CertificateArn=warm_up["CertificateArn"])
    arn = acm.request_certificate(DomainName="api.dev.example.com", ValidationMethod="DNS")[
        "CertificateArn"
    ]
    first = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert first["Status"] == "PENDING_VALIDATION"
    record = first["DomainValidationOptions"][0]["ResourceRecord"]
    assert record["Type"] == "CNAME"

    deadline = time.monotonic() + ACM_VALIDATION_WAIT_SECONDS + 4
    status = first["Status"]
    while status != "ISSUED" and time.monotonic() < deadline:
        time.sleep(0.5)
        status = acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"]
    assert status == "ISSUED"
