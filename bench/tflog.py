"""Attribute Terraform run time to the AWS provider's waiters from a TF_LOG file.

With TF_LOG_PROVIDER=DEBUG the provider logs every AWS API call as an
"HTTP Request Sent" / "HTTP Response Received" record tagged with the gRPC
request it serves (`tf_req_id`, one per resource operation such as
ApplyResourceChange) and usually the resource type (`tf_resource_type`).
Its waiters (`Waiting for state to become: [...]`, retry loops, SDK
back-off) log without those tags, so they are found by what they leave
behind: inside one request, a gap between two records that does not end
with a *response* is time the provider spent sleeping before it polled or
retried (the next record is it preparing or sending the next call). A gap
that ends with a response is the API's (here the emulator's) latency, and is
not counted.

The waiter time of a phase is the length of the union of those gaps over
every request (resources apply in parallel), so it is the wall time during
which at least one resource was waiting.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

RECORD_START = re.compile(
    r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d:?\d\d|Z) \[(\w+)\]"
)
REQ_ID = re.compile(r"\btf_req_id=([0-9a-fA-F-]+)")
RESOURCE_TYPE = re.compile(r"\btf_resource_type=([A-Za-z0-9_]+)")
RPC = re.compile(r"\btf_rpc=([A-Za-z]+)")
RESPONSE_RECEIVED = "HTTP Response Received"
# Gaps shorter than this are the provider's own CPU time between calls.
MIN_SLEEP_SECONDS = 0.05


@dataclass(frozen=True)
class Record:
    time: float  # seconds since the epoch
    text: str


@dataclass(frozen=True)
class Interval:
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass
class WaiterReport:
    seconds: float  # union of waiter intervals
    by_resource_type: dict[str, float]  # summed per type (may overlap in time)
    requests: int  # provider requests seen


def parse_time(stamp: str, zone: str) -> float:
    zone = "+00:00" if zone == "Z" else zone
    return datetime.fromisoformat(stamp + zone).timestamp()


def records(lines: Iterable[str]) -> list[Record]:
    """Group log lines into records: a record starts with a timestamp and level."""
    found: list[Record] = []
    current_time: float | None = None
    current: list[str] = []
    for line in lines:
        match = RECORD_START.match(line)
        if match:
            if current_time is not None:
                found.append(Record(current_time, "\n".join(current)))
            current_time = parse_time(match.group(1), match.group(2))
            current = [line.rstrip("\n")]
        elif current_time is not None:
            current.append(line.rstrip("\n"))
    if current_time is not None:
        found.append(Record(current_time, "\n".join(current)))
    return found


def records_by_request(recs: list[Record]) -> dict[str, list[Record]]:
    grouped: dict[str, list[Record]] = defaultdict(list)
    for rec in recs:
        match = REQ_ID.search(rec.text)
        if match:
            grouped[match.group(1)].append(rec)
    return grouped


def sleeps(request_records: list[Record]) -> list[Interval]:
    """Gaps inside one provider request that the provider spent idle, not awaiting a reply."""
    ordered = sorted(request_records, key=lambda r: r.time)
    found = []
    for before, after in itertools.pairwise(ordered):
        gap = after.time - before.time
        if gap >= MIN_SLEEP_SECONDS and RESPONSE_RECEIVED not in after.text:
            found.append(Interval(before.time, after.time))
    return found


def resource_type(request_records: list[Record]) -> str:
    for rec in request_records:
        match = RESOURCE_TYPE.search(rec.text)
        if match:
            return match.group(1)
    return "(provider)"


def union_length(intervals: list[Interval]) -> float:
    total = 0.0
    end = float("-inf")
    for interval in sorted(intervals, key=lambda i: i.start):
        if interval.end <= end:
            continue
        total += interval.end - max(interval.start, end)
        end = interval.end
    return total


def analyse_records(recs: list[Record]) -> WaiterReport:
    all_sleeps: list[Interval] = []
    by_type: dict[str, float] = defaultdict(float)
    grouped = records_by_request(recs)
    for request_records in grouped.values():
        found = sleeps(request_records)
        if found:
            all_sleeps += found
            by_type[resource_type(request_records)] += sum(i.length for i in found)
    return WaiterReport(union_length(all_sleeps), dict(by_type), len(grouped))


def analyse(paths: list[Path]) -> WaiterReport:
    """Waiter time over one or more TF_LOG files (e.g. roots planned in parallel)."""
    recs: list[Record] = []
    for path in paths:
        if path.exists():
            with path.open(errors="replace") as handle:
                recs += records(handle)
    return analyse_records(recs)


def top_types(by_type: dict[str, float], count: int = 3) -> str:
    """`aws_lb 61 s, aws_route53_record 30 s` — the resource types that waited longest."""
    ranked = sorted(by_type.items(), key=lambda kv: kv[1], reverse=True)[:count]
    return ", ".join(f"{name} {seconds:.0f} s" for name, seconds in ranked if seconds >= 0.5)
