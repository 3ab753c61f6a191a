resource "aws_cloudwatch_log_group" "this" {
  # checkov:skip=CKV_AWS_338: retention is the log_retention_days input (validated against the values CloudWatch accepts); short-lived environments keep less than a year on purpose.
  # checkov:skip=CKV_AWS_158: CloudWatch Logs encrypts every log group at rest; a customer managed key is optional through log_kms_key_arn.
  name              = "/ecs/${var.environment}/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}
