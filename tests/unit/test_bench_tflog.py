"""Attribution of time to the AWS provider's waiters from TF_LOG records."""

from bench import tflog

P = "[DEBUG] provider.terraform-provider-aws_v5.100.0_x5:"
ZONE = "tf_req_id=aaaaaaaa-0000-0000-0000-000000000001 tf_resource_type=aws_route53_zone"
CLUSTER = "tf_req_id=bbbbbbbb-0000-0000-0000-000000000002"

# A zone and a cluster created in parallel: the zone's create call is answered after
# 0.2 s (latency, not a waiter), then it sleeps 15 s before polling GetChange; the
# cluster's create takes 1.3 s to answer, then it sleeps 10 s before DescribeClusters.
LOG = f"""\
2026-11-25T17:29:27.600Z [INFO]  Starting apply for aws_route53_zone.z
2026-11-25T17:29:27.659Z {P} setting endpoint: {ZONE} rpc.method=CreateHostedZone
2026-11-25T17:29:27.660Z {P} HTTP Request Sent:
  http.request.body=
  | <CreateHostedZoneRequest/>
   {ZONE} http.method=POST
2026-11-25T17:29:27.662Z {P} HTTP Request Sent: rpc.method=CreateCluster
   {CLUSTER} tf_resource_type=aws_ecs_cluster
2026-11-25T17:29:27.860Z {P} HTTP Response Received: {ZONE} http.duration=200
2026-11-25T17:29:27.861Z {P} [DEBUG] Waiting for state to become: [INSYNC]
2026-11-25T17:29:28.962Z {P} HTTP Response Received: {CLUSTER} http.duration=1300
2026-11-25T17:29:28.963Z {P} [DEBUG] Waiting for state to become: [ACTIVE]
2026-11-25T17:29:38.963Z {P} setting endpoint: {CLUSTER} rpc.method=DescribeClusters
2026-11-25T17:29:38.964Z {P} HTTP Request Sent: {CLUSTER}
2026-11-25T17:29:38.970Z {P} HTTP Response Received: {CLUSTER}
2026-11-25T17:29:42.860Z {P} setting endpoint: {ZONE} rpc.method=GetChange
2026-11-25T17:29:42.861Z {P} HTTP Request Sent: {ZONE}
2026-11-25T17:29:42.870Z {P} HTTP Response Received: {ZONE}
"""


def test_multi_line_records_are_kept_together():
    recs = tflog.records(LOG.splitlines(keepends=True))
    assert len(recs) == 14
    assert "<CreateHostedZoneRequest/>" in recs[2].text
    assert round(recs[2].time - recs[0].time, 3) == 0.06


def test_sleeps_are_gaps_not_ended_by_a_response():
    grouped = tflog.records_by_request(tflog.records(LOG.splitlines()))
    cluster = grouped["bbbbbbbb-0000-0000-0000-000000000002"]
    [sleep] = tflog.sleeps(cluster)
    assert (round(sleep.start % 60, 3), round(sleep.length, 3)) == (28.962, 10.001)


def test_phase_waiter_time_is_the_union_over_parallel_resources():
    report = tflog.analyse_records(tflog.records(LOG.splitlines()))
    # zone sleeps 27.860 -> 42.860, cluster 28.962 -> 38.963: the union is the zone's 15 s.
    assert round(report.seconds, 3) == 15.0
    assert report.requests == 2
    assert {k: round(v) for k, v in report.by_resource_type.items()} == {
        "aws_route53_zone": 15,
        "aws_ecs_cluster": 10,
    }
    assert tflog.top_types(report.by_resource_type) == "aws_route53_zone 15 s, aws_ecs_cluster 10 s"


def test_disjoint_intervals_add_up_and_nested_ones_do_not():
    intervals = [tflog.Interval(0, 10), tflog.Interval(2, 5), tflog.Interval(20, 25)]
    assert tflog.union_length(intervals) == 15


def test_analyse_reads_several_files_and_ignores_missing_ones(tmp_path):
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    lines = LOG.splitlines(keepends=True)
    first.write_text("".join(lines[:11]))  # up to the cluster's first poll
    second.write_text("".join(lines[11:]))
    report = tflog.analyse([first, second, tmp_path / "absent.log"])
    assert round(report.seconds, 3) == 15.0


def test_timestamps_with_an_offset_are_understood():
    [rec] = tflog.records(["2026-11-25T18:29:27.000+01:00 [DEBUG] x"])
    [utc] = tflog.records(["2026-11-25T17:29:27.000Z [DEBUG] x"])
    assert rec.time == utc.time
