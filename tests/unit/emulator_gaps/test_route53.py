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
