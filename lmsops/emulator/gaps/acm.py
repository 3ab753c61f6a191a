"""ACM in the emulator: DNS-validated certificates are issued within seconds."""

from __future__ import annotations

import os

from moto import settings

# Seconds after which moto marks a DNS-validated ACM certificate ISSUED (default 60).
ACM_VALIDATION_WAIT_SECONDS = 1


def shorten_acm_validation_wait() -> None:
    """Gap: moto keeps DNS-validated ACM certificates PENDING_VALIDATION for 60 s.

    AWS: a certificate turns ISSUED shortly after its validation CNAME resolves,
    which `aws_acm_certificate_validation` waits for. moto has no DNS check; it
    issues the certificate once MOTO_ACM_VALIDATION_WAIT seconds have passed since
    the request. One second keeps the PENDING_VALIDATION → ISSUED transition visible
    without making every apply wait a minute.
    """
    os.environ["MOTO_ACM_VALIDATION_WAIT"] = str(ACM_VALIDATION_WAIT_SECONDS)
    # moto.settings read the variable when first imported: set its value too.
    settings.ACM_VALIDATION_WAIT = ACM_VALIDATION_WAIT_SECONDS
