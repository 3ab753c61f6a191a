resource "aws_s3_bucket" "state" {
  # checkov:skip=CKV_AWS_18: Access logs would need a second, separately governed log bucket; reads and writes of state are audited with CloudTrail S3 data events at account level.
  # checkov:skip=CKV_AWS_144: Cross-region replication is out of scope for this single-region platform; versioning plus prevent_destroy already recover from bad writes and deletes.
  # checkov:skip=CKV_AWS_145: SSE-S3 is the deliberate default (no key to manage, lose or pay for); set kms_key_arn to switch to SSE-KMS with a bucket key.
  # checkov:skip=CKV2_AWS_62: Nothing consumes state-change events; event notifications would only add an unused integration.
  bucket = var.name
  tags   = var.tags

  lifecycle {
    prevent_destroy = true

    precondition {
      condition     = var.lock_table_name == null || var.locking == "dynamodb"
      error_message = "lock_table_name needs locking = \"dynamodb\": with locking = \"s3\" no lock table is created, e.g. leave lock_table_name null."
    }
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = local.use_kms ? "aws:kms" : "AES256"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = local.use_kms
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket = aws_s3_bucket.state.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

data "aws_iam_policy_document" "state_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]

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

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state_bucket.json

  # S3 rejects a policy change while the public access block is being written.
  depends_on = [aws_s3_bucket_public_access_block.state]
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    # Once its noncurrent versions have expired, a delete marker (left by every
    # S3-native lock file, and by deleted workspaces) is removed too.
    expiration {
      expired_object_delete_marker = true
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  # Noncurrent-version rules only mean something once versioning is on.
  depends_on = [aws_s3_bucket_versioning.state]
}
