"""Issue 11: the integration files are packed into balanced lanes, one per xdist worker."""

from __future__ import annotations

from pathlib import Path

import integration_lanes
from integration_lanes import BOOTSTRAP_SECONDS, lane_cost, pack

INTEGRATION = Path(__file__).resolve().parents[1] / "integration"


def test_every_file_is_in_exactly_one_lane_and_the_longest_lane_is_the_best_possible():
    seconds = {"a": 30, "b": 30, "c": 20, "d": 20, "e": 20}
    lanes = pack(seconds, set(), 2)
    assert sorted(name for lane in lanes for name in lane) == sorted(seconds)
    # Greedy alone gives a+c+e / b+d (70 s); a+b / c+d+e is 60 s.
    assert max(lane_cost(lane, seconds, set()) for lane in lanes) == 60


def test_files_without_bootstrap_share_a_lane_that_never_pays_for_one():
    seconds = {"free-1": 100, "free-2": 100, "boot-1": 10, "boot-2": 10}
    bootstrapping = {"boot-1", "boot-2"}
    lanes = pack(seconds, bootstrapping, 2)
    # Greedy pairs each free file with a bootstrapping one: two lanes of 110 + bootstrap.
    assert sorted(map(sorted, lanes)) == [["boot-1", "boot-2"], ["free-1", "free-2"]]
    assert BOOTSTRAP_SECONDS + 20 < 200
    assert max(lane_cost(lane, seconds, bootstrapping) for lane in lanes) == 200


def test_lanes_are_named_the_same_by_every_worker_and_unmeasured_files_still_get_one():
    files = {name: True for name in integration_lanes.FILE_SECONDS}
    files["test_brand_new.py"] = True
    first = integration_lanes.lanes_of(files, 5)
    assert first == integration_lanes.lanes_of(dict(reversed(files.items())), 5)
    assert set(first) == set(files)
    assert set(first.values()) <= {f"lane{i}" for i in range(5)}


def test_the_measured_files_are_the_integration_tier_files():
    present = {path.name for path in INTEGRATION.glob("test_*.py")}
    stale = set(integration_lanes.FILE_SECONDS) - present
    assert not stale, f"FILE_SECONDS names files that no longer exist: {sorted(stale)}"
