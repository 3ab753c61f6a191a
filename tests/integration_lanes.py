"""Pack the integration files into one lane per pytest-xdist worker (`--dist loadgroup`).

Each worker has its own emulator and, if one of its files needs `bootstrapped`, applies
bootstrap/ once. A lane costs the sum of its files plus that bootstrap when needed; the
packing makes the longest lane as short as it can find, so the lanes end about together
and the files that need no bootstrap share lanes that never pay for one.
"""

from __future__ import annotations

# Wall time of each file in seconds, bootstrap excluded: the mean of two runs of the tier
# (`--durations`, a timeline per worker) on the 2-core machine under load, issue 11's
# before-run (3 workers, load 10-15) and after-run (5 lanes, load 7-9). Only ratios matter.
FILE_SECONDS = {
    "test_backend_apply.py": 232,
    "test_backend_prod_apply.py": 206,
    "test_deploy_emulator.py": 32,
    "test_deploy_failures.py": 168,
    "test_frontend_apply.py": 160,
    "test_module_migration.py": 400,  # one run, load ~9 (backend 159 s + CloudFront 225 s)
    "test_publish_safety.py": 116,
    "test_readme_emulator.py": 260,
    "test_runbook.py": 150,
    "test_s3_website_cloudfront.py": 226,
    "test_state_backend.py": 190,
    "test_state_bootstrap.py": 34,
}
UNMEASURED_FILE_SECONDS = 120  # a new file counts as a mid-sized one until measured
BOOTSTRAP_SECONDS = 97  # emulator start and bootstrap/ applied, once per lane using it
SEARCH_BUDGET = 50_000  # steps of the exact search before the best lanes found so far


def lane_cost(files: list[str], seconds: dict[str, float], bootstrapping: set[str]) -> float:
    setup = BOOTSTRAP_SECONDS if bootstrapping.intersection(files) else 0
    return setup + sum(seconds[name] for name in files)


def pack(seconds: dict[str, float], bootstrapping: set[str], lanes: int) -> list[list[str]]:
    """The files of SECONDS (name -> cost) in LANES lists; BOOTSTRAPPING: files needing it.

    Greedy first (longest file to the lane it lengthens least), then an exact search
    that only keeps better packings, within SEARCH_BUDGET steps. Deterministic: every
    xdist worker computes the same lanes.
    """
    order = sorted(seconds, key=lambda name: (-seconds[name], name))

    def worst(packing: list[list[str]]) -> float:
        return max(lane_cost(lane, seconds, bootstrapping) for lane in packing)

    greedy: list[list[str]] = [[] for _ in range(lanes)]
    for name in order:
        lane = min(
            range(lanes),
            key=lambda i: (lane_cost([*greedy[i], name], seconds, bootstrapping), i),
        )
        greedy[lane].append(name)
    best = {"cost": worst(greedy), "lanes": greedy, "steps": 0}

    def search(index: int, current: list[list[str]]) -> None:
        best["steps"] += 1
        cost = worst(current)
        if cost >= best["cost"] or best["steps"] > SEARCH_BUDGET:
            return
        if index == len(order):
            best.update(cost=cost, lanes=[list(lane) for lane in current])
            return
        tried = set()
        for lane in current:
            if tuple(lane) in tried:  # same contents (e.g. two empty lanes): same outcome
                continue
            tried.add(tuple(lane))
            lane.append(order[index])
            search(index + 1, current)
            lane.pop()

    search(0, [[] for _ in range(lanes)])
    return best["lanes"]


def lanes_of(files: dict[str, bool], workers: int) -> dict[str, str]:
    """FILES (name -> needs bootstrap) to the name of their lane, e.g. "lane0"."""
    seconds = {name: FILE_SECONDS.get(name, UNMEASURED_FILE_SECONDS) for name in files}
    bootstrapping = {name for name, needs in files.items() if needs}
    packing = pack(seconds, bootstrapping, workers)
    return {name: f"lane{index}" for index, lane in enumerate(packing) for name in lane}
