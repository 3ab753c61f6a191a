"""Route 53 in the emulator: a deleted record can be created again, and record pages of
one name and type (weighted, latency, failover sets) follow on by set identifier."""

from __future__ import annotations

import sys
import threading
from typing import Any

from moto.core.responses import ActionResult
from moto.route53.exceptions import InvalidInput
from moto.route53.models import FakeZone, RecordSet, Route53Backend, reverse_domain_name
from moto.route53.responses import Route53

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


def page_records_by_set_identifier() -> None:
    """Gap: ListResourceRecordSets ignores StartRecordIdentifier and never returns
    NextRecordIdentifier, so the next page of records sharing one name and type (a
    weighted, latency or failover set) starts again from the first of them: a paginator
    never ends once such a set is longer than a page.

    AWS: records are listed by name, then type, then set identifier; a truncated page names
    the next record's identifier when it has one, and StartRecordIdentifier resumes there.
    """

    def list_resource_record_sets(self: Any) -> ActionResult:
        start_type = self._get_param("StartRecordType")
        start_name = self._get_param("StartRecordName")
        start_identifier = self._get_param("StartRecordIdentifier")
        max_items = self._get_int_param("MaxItems", 300)
        if (start_type and not start_name) or (start_identifier and not start_type):
            raise InvalidInput("The input is not valid")
        every, _, _, _ = self.backend.list_resource_record_sets(
            self._get_param("HostedZoneId"),
            start_type=start_type,
            start_name=start_name,
            max_items=sys.maxsize,
        )
        ordered = sorted(every, key=_listing_order)
        if start_identifier:
            start = (reverse_domain_name(start_name), start_type, start_identifier)
            ordered = [r for r in ordered if _listing_order(r) >= start]
        page, rest = ordered[:max_items], ordered[max_items:]
        following = rest[0] if rest else None
        return ActionResult(
            {
                "ResourceRecordSets": page,
                "IsTruncated": following is not None,
                "NextRecordName": following.name if following else None,
                "NextRecordType": following.type if following else None,
                "NextRecordIdentifier": following.set_identifier if following else None,
                "MaxItems": max_items,
            }
        )

    Route53.list_resource_record_sets = list_resource_record_sets


def _listing_order(record: RecordSet) -> tuple[str, str, str]:
    return reverse_domain_name(record.name), str(record.type), str(record.set_identifier or "")
