# Optional access logs: a private bucket this module owns, SSE-S3 (ALB log delivery does not
# support SSE-KMS), TLS-only, objects expiring after access_logs_expiration_days, and exactly
# the bucket policy Elastic Load Balancing log delivery needs in the bucket's region.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

# Regions opened before August 2022 deliver logs as a regional Elastic Load Balancing account;
# newer regions deliver as the logdelivery service principal. The provider knows the account
# of every older region.
data "aws_elb_service_account" "current" {
  count = var.access_logs_enabled && var.access_logs_delivery == "elb-account" ? 1 : 0
}

locals {
  access_logs_bucket_name = "${var.name}-alb-logs-${data.aws_caller_identity.current.account_id}"
  access_logs_bucket_arn  = "arn:${data.aws_partition.current.partition}:s3:::${local.access_logs_bucket_name}"
  access_logs_object_path = join("/", compact([var.access_logs_prefix, "AWSLogs", data.aws_caller_identity.current.account_id, "*"]))
}

resource "aws_s3_bucket" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0
  # checkov:skip=CKV_AWS_18: this bucket is the log destination; logging its own reads would need yet another bucket. Reads are audited with CloudTrail data events at account level.
  # checkov:skip=CKV_AWS_144: access logs are operational records kept for access_logs_expiration_days; cross-region replication is out of scope.
  # checkov:skip=CKV_AWS_145: ALB access log delivery supports only SSE-S3 (AES256); SSE-KMS would make delivery fail.
  # checkov:skip=CKV2_AWS_62: nothing consumes log-object events; event notifications would be an unused integration.
  # checkov:skip=CKV_AWS_21: log objects are written once by ELB and never overwritten; versioning would only keep expired logs longer.
  bucket        = local.access_logs_bucket_name
  force_destroy = var.access_logs_force_destroy

  tags = merge(var.tags, { Name = local.access_logs_bucket_name })
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  count  = var.access_logs_enabled ? 1 : 0
  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  count  = var.access_logs_enabled ? 1 : 0
  bucket = aws_s3_bucket.access_logs[0].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  count  = var.access_logs_enabled ? 1 : 0
  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  count  = var.access_logs_enabled ? 1 : 0
  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_logs_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

data "aws_iam_policy_document" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  statement {
    sid       = "LoadBalancerLogDelivery"
    actions   = ["s3:PutObject"]
    resources = ["${local.access_logs_bucket_arn}/${local.access_logs_object_path}"]

    principals {
      type        = var.access_logs_delivery == "elb-account" ? "AWS" : "Service"
      identifiers = var.access_logs_delivery == "elb-account" ? [data.aws_elb_service_account.current[0].arn] : ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.access_logs_bucket_arn, "${local.access_logs_bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  count  = var.access_logs_enabled ? 1 : 0
  bucket = aws_s3_bucket.access_logs[0].id
  policy = data.aws_iam_policy_document.access_logs[0].json

  # S3 rejects a policy change while the public access block is being written.
  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}
