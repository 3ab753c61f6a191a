"""Smoke checks of live/<env>/frontend: is the published site served as it should be?

`check_frontend(outputs, session)` follows the wiring from the root's outputs
with boto3 (AWS, or the emulator through the standard AWS_* environment):
the bucket and its website configuration, the public-read policy, the index
document readable WITHOUT credentials as HTML, every asset the index page
references present with the Content-Type `lmsops publish` gives it, and the
site's alias record pointing at the bucket's website endpoint.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlparse

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from lmsops.annotations import Client, Session
from lmsops.content_rules import content_type_for
from lmsops.smoke.checks import Check


class _AssetLinks(HTMLParser):
    """Site-local URLs in src= and href= attributes (absolute paths or relative)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value and _is_site_local(value):
                self.links.append(value)


def _is_site_local(url: str) -> bool:
    parsed = urlparse(url)
    return not (parsed.scheme or parsed.netloc or url.startswith("#"))


def asset_keys(index_html: str) -> list[str]:
    """Object keys of the files an index page at the site root references."""
    parser = _AssetLinks()
    parser.feed(index_html)
    keys = []
    for link in parser.links:
        key = urlparse(link).path.lstrip("/")
        if key and not key.endswith("/") and key not in keys:
            keys.append(key)
    return keys


def policy_allows_public_get(policy_text: str, bucket: str) -> bool:
    statements = json.loads(policy_text).get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    objects = re.compile(rf"^arn:[a-z-]+:s3:::{re.escape(bucket)}/\*$")
    for statement in statements:
        actions = _as_list(statement.get("Action"))
        resources = _as_list(statement.get("Resource"))
        if (
            statement.get("Effect") == "Allow"
            and statement.get("Principal") in ("*", {"AWS": "*"})
            and "Condition" not in statement
            and any(a in ("s3:GetObject", "s3:Get*", "s3:*") for a in actions)
            and any(objects.match(r) for r in resources)
        ):
            return True
    return False


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def check_frontend(outputs: dict, session: Session | None = None) -> list[Check]:
    session = session or boto3.session.Session()
    s3 = session.client("s3")
    anonymous = session.client("s3", config=Config(signature_version=UNSIGNED))
    bucket = outputs["bucket_name"]
    checks: list[Check] = []

    try:
        website = s3.get_bucket_website(Bucket=bucket)
    except ClientError as exc:
        return [Check("website configuration", False, f"{bucket}: {exc}")]
    index = website.get("IndexDocument", {}).get("Suffix", "")
    error = website.get("ErrorDocument", {}).get("Key", "")
    checks.append(Check("website configuration", bool(index), f"index {index}, error {error}"))

    try:
        policy = s3.get_bucket_policy(Bucket=bucket)["Policy"]
        public = policy_allows_public_get(policy, bucket)
        checks.append(Check("public-read policy", public, "s3:GetObject to * on the objects"))
    except ClientError as exc:
        checks.append(Check("public-read policy", False, str(exc)))

    html = ""
    # No index document (a bucket that redirects every request): nothing to GET, and an
    # empty key is refused before any request is sent. The check above already failed.
    if index:
        try:
            page = anonymous.get_object(Bucket=bucket, Key=index)
            html = page["Body"].read().decode("utf-8", errors="replace")
            is_html = page.get("ContentType", "").startswith("text/html")
            checks.append(
                Check(f"anonymous GET {index}", is_html, f"Content-Type {page.get('ContentType')}")
            )
        except ClientError as exc:
            checks.append(Check(f"anonymous GET {index}", False, str(exc)))

    for key in asset_keys(html):
        checks.append(_asset_check(anonymous, bucket, key))

    if error:
        checks.append(_present(s3, bucket, error, "error document"))
    checks.append(_alias_check(session, bucket, outputs.get("website_endpoint", "")))
    return checks


def _asset_check(anonymous: Client, bucket: str, key: str) -> Check:
    expected = content_type_for(key)
    try:
        # GET (what a browser does), one byte: the policy grants s3:GetObject.
        response = anonymous.get_object(Bucket=bucket, Key=key, Range="bytes=0-0")
        response["Body"].close()
    except ClientError as exc:
        return Check(f"asset {key}", False, f"not readable anonymously: {exc}")
    seen = response.get("ContentType", "")
    return Check(f"asset {key}", seen == expected, f"Content-Type {seen} (expected {expected})")


def _present(s3: Client, bucket: str, key: str, what: str) -> Check:
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return Check(what, True, key)
    except ClientError as exc:
        return Check(what, False, f"{key}: {exc}")


def _alias_check(session: Session, domain: str, website_endpoint: str) -> Check:
    """The domain's A alias targets the bucket's regional website domain."""
    route53 = session.client("route53")
    website_domain = website_endpoint.removeprefix(f"{domain}.")
    for zone in _zones_holding(route53, domain):
        for record in _records(route53, zone["Id"], domain):
            if record["Type"] != "A" or "AliasTarget" not in record:
                continue
            target = record["AliasTarget"]["DNSName"].rstrip(".")
            ok = target in (website_domain, website_endpoint) or target.endswith(".cloudfront.net")
            return Check("DNS alias", ok, f"{domain} -> {target}")
    return Check("DNS alias", False, f"no A alias record for {domain}")


def _zones_holding(route53: Client, domain: str) -> list[dict]:
    zones = []
    for page in route53.get_paginator("list_hosted_zones").paginate():
        for zone in page["HostedZones"]:
            name = zone["Name"].rstrip(".")
            if not zone.get("Config", {}).get("PrivateZone") and (
                domain == name or domain.endswith(f".{name}")
            ):
                zones.append(zone)
    return sorted(zones, key=lambda z: -len(z["Name"]))


def _records(route53: Client, zone_id: str, domain: str) -> list[dict]:
    """DOMAIN's record sets from its A records on, every page of them (a name may hold
    many A records: one per weighted, latency or geolocation set)."""
    found: list[dict] = []
    pages = route53.get_paginator("list_resource_record_sets").paginate(
        HostedZoneId=zone_id, StartRecordName=domain, StartRecordType="A"
    )
    for page in pages:
        for record in page["ResourceRecordSets"]:
            if record["Name"].rstrip(".") != domain:
                return found  # sorted by name: the rest of the zone is other names
            found.append(record)
    return found
