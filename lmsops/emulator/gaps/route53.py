"""Route 53 in the emulator: a deleted record can be created again."""

from __future__ import annotations

import threading
from typing import Any

from moto.route53.models import FakeZone, Route53Backend

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
