"""Fill the gaps between moto and AWS that a Terraform apply of this project hits.

Written against one moto version (lmsops.emulator.moto_version.MOTO_VERSION): the fills
patch moto's internals. One module per AWS service (s3, cloudfront, iam, acm, autoscaling,
ecs with ecs_deployments and ecs_task_failures, ec2, route53, cloudwatch); moto_server
and retries for moto's server as a whole. Every gap is one function with a
"Gap: ... AWS: ..." docstring naming what moto lacks and the AWS behaviour it
reproduces. `apply()` runs them all; the emulator's serve process calls it before it
builds the moto server app, so the environment-driven settings are in place before moto
reads them.

The rule: reproduce what AWS does, never make the emulator more permissive than AWS
(the S3 bucket-policy fix evaluates a condition, it does not drop the policy).
"""

from __future__ import annotations

from lmsops.emulator.gaps import (
    acm,
    autoscaling,
    cloudfront,
    cloudwatch,
    ec2,
    ecs,
    ecs_deployments,
    ecs_task_failures,
    iam,
    moto_server,
    route53,
    s3,
)

_applied = False


def apply() -> None:
    """Apply every gap fill once (idempotent), in an order some of them rely on."""
    global _applied  # noqa: PLW0603 - one process-wide switch, patches must not stack
    if _applied:
        return
    iam.load_aws_managed_iam_policies()
    acm.shorten_acm_validation_wait()
    autoscaling.add_application_autoscaling_tagging()
    ecs.echo_ecs_availability_zone_rebalancing()
    ecs.echo_ecs_service_deployment_settings()
    # Each DescribeServices wrapper runs after the one installed before it: alarms, then
    # task failures, are checked before emulate_ecs_deployments completes a deployment.
    ecs_deployments.fail_ecs_deployments_on_alarms()
    ecs_task_failures.fail_ecs_deployments_whose_tasks_cannot_start()
    ecs_deployments.emulate_ecs_deployments()
    ecs.run_fargate_tasks_without_container_memory()
    ecs.describe_latest_active_task_definition()
    ec2.keep_descriptions_of_security_group_reference_rules()
    route53.recreate_deleted_route53_records()
    route53.page_records_by_set_identifier()
    # The anonymous-request check wraps the policy evaluation installed just before it.
    s3.evaluate_secure_transport_in_bucket_policies()
    s3.authorize_anonymous_s3_requests()
    s3.dispose_of_s3_delete_markers()
    cloudfront.add_cloudfront_response_headers_policies()
    cloudfront.derive_cloudfront_default_certificate_flag()
    cloudwatch.combine_cloudwatch_describe_alarms_filters()
    moto_server.fail_fast_on_unimplemented_actions()
    _applied = True
