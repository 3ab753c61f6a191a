"""Route 53 gap fills (lmsops.emulator.gaps.route53), on the session emulator."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from emulator_helpers import unique


def test_route53_record_can_be_created_again_after_it_was_deleted(emulator):
    route53 = boto3.client("route53")
    zone = unique("zone") + ".com"
    zone_id = route53.create_hosted_zone(Name=zone, CallerReference=unique("ref"))["HostedZone"][
        "Id"
    ]

    def change(action: str, name: str, kind: str, value: str) -> None:
        record = {"Name": name, "Type": kind, "TTL": 60, "ResourceRecords": [{"Value": value}]}
        route53.change_resource_record_sets(
            HostedZoneId=zone_id,
            ChangeBatch={"Changes": [{"Action": action, "ResourceRecordSet": record}]},
        )

    api = f"api.{zone}"
    change("CREATE", api, "A", "192.0.2.10")
    change("CREATE", f"_validation.{api}", "CNAME", "target.example.com")  # sorts after api
    change("DELETE", api, "A", "192.0.2.10")
    change("CREATE", api, "A", "192.0.2.10")

    names = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    assert (f"{api}.", "A") in {(r["Name"], r["Type"]) for r in names}
    with pytest.raises(ClientError) as duplicate:
        change("CREATE", api, "A", "192.0.2.10")
    assert duplicate.value.response["Error"]["Code"] == "InvalidChangeBatch"


def test_a_weighted_set_longer_than_a_page_is_paged_through_by_set_identifier(emulator):
    route53 = boto3.client("route53")
    zone = unique("zone") + ".com"
    created = route53.create_hosted_zone(Name=zone, CallerReference=unique("ref"))
    zone_id = created["HostedZone"]["Id"]
    site = f"www.{zone}"
    changes = [
        {
            "Action": "CREATE",
            "ResourceRecordSet": {
                "Name": site,
                "Type": "A",
                "SetIdentifier": f"weight-{n}",
                "Weight": n,
                "TTL": 60,
                "ResourceRecords": [{"Value": f"192.0.2.{n}"}],
            },
        }
        for n in (4, 1, 3, 0, 2)
    ]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})

    first = route53.list_resource_record_sets(
        HostedZoneId=zone_id, StartRecordName=site, StartRecordType="A", MaxItems="2"
    )
    assert [r["SetIdentifier"] for r in first["ResourceRecordSets"]] == ["weight-0", "weight-1"]
    assert first["IsTruncated"] is True
    assert (first["NextRecordName"], first["NextRecordType"]) == (f"{site}.", "A")
    assert first["NextRecordIdentifier"] == "weight-2"

    pages = route53.get_paginator("list_resource_record_sets").paginate(
        HostedZoneId=zone_id,
        StartRecordName=site,
        StartRecordType="A",
        PaginationConfig={"PageSize": 2, "MaxItems": 50},  # a bound, should paging loop
    )
    listed = [r.get("SetIdentifier") for page in pages for r in page["ResourceRecordSets"]]
    assert listed == [f"weight-{n}" for n in range(5)]


def test_a_start_identifier_without_a_type_is_refused_as_aws_does(emulator):
    route53 = boto3.client("route53")
    zone = unique("zone") + ".com"
    zone_id = route53.create_hosted_zone(Name=zone, CallerReference=unique("ref"))["HostedZone"][
        "Id"
    ]
    with pytest.raises(ClientError) as refused:
        route53.list_resource_record_sets(
            HostedZoneId=zone_id, StartRecordName=zone, StartRecordIdentifier="weight-1"
        )
    assert refused.value.response["Error"]["Code"] == "InvalidInput"
