data "aws_partition" "current" {}

locals {
  # With the single-page-app switch S3 answers unknown paths with the index
  # document, so the browser-side router can handle them.
  error_document = var.single_page_app ? var.index_document : var.error_document
  # Built from the name (not the bucket's computed ARN) so the policy is known at plan time.
  objects_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.domain_name}/*"
  # How `lmsops publish` recognises the site bucket of domain_name: it writes to no
  # bucket without both tags (and website hosting), so a mistyped --bucket (the state
  # bucket, say) is refused before anything is written.
  identity_tags = {
    "lmsops:role"        = "site"
    "lmsops:site-domain" = var.domain_name
  }
  # Publish records (object key -> version id of every publish) that `lmsops publish
  # --rollback` reads; the public-read policy denies them to anonymous readers.
  publish_records_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.domain_name}/.lmsops/*"
}

resource "aws_s3_bucket" "site" {
  # checkov:skip=CKV_AWS_18: Public static content; server access logs are optional and the module has no log bucket.
  # checkov:skip=CKV_AWS_144: A rebuildable static site is republished from source, cross-region replication is unneeded.
  # checkov:skip=CKV2_AWS_62: No consumer of object events for a static site.
  # checkov:skip=CKV_AWS_145: Anonymous website readers cannot decrypt SSE-KMS objects; SSE-S3 (AES256) is used.
  # checkov:skip=CKV2_AWS_6: Documented exception: the public access block allows the public-read policy (ACLs stay blocked).
  # checkov:skip=CKV_AWS_21: Versioning is on unless the caller turns it off (versioning_enabled, for a disposable dev site); the prod frontend stack refuses it off.
  bucket        = var.domain_name
  force_destroy = var.force_destroy
  tags          = merge(var.tags, local.identity_tags)

  lifecycle {
    precondition {
      condition     = var.web_acl_id == null || var.enable_cloudfront
      error_message = "web_acl_id needs enable_cloudfront = true: the web ACL attaches to the CloudFront distribution, e.g. enable_cloudfront = true with web_acl_id = arn:aws:wafv2:us-east-1:111122223333:global/webacl/lms-site/ID."
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Only the bucket policy may make objects public: ACLs stay blocked.
resource "aws_s3_bucket_public_access_block" "site" {
  # checkov:skip=CKV_AWS_54: Documented exception: the public-read bucket policy is what serves the website.
  # checkov:skip=CKV_AWS_56: Documented exception: the public-read bucket policy is what serves the website.
  bucket = aws_s3_bucket.site.id

  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "site" {
  bucket = aws_s3_bucket.site.id

  versioning_configuration {
    status = var.versioning_enabled ? "Enabled" : "Disabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  dynamic "rule" {
    for_each = var.versioning_enabled ? [1] : []

    content {
      id     = "expire-previous-versions"
      status = "Enabled"

      filter {}

      noncurrent_version_expiration {
        noncurrent_days = var.noncurrent_version_expiration_days
      }

      abort_incomplete_multipart_upload {
        days_after_initiation = 7
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.site]
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  index_document {
    suffix = var.index_document
  }

  error_document {
    key = local.error_document
  }
}

resource "aws_s3_bucket_cors_configuration" "site" {
  count = length(var.cors_rules) > 0 ? 1 : 0

  bucket = aws_s3_bucket.site.id

  dynamic "cors_rule" {
    for_each = var.cors_rules

    content {
      allowed_methods = cors_rule.value.allowed_methods
      allowed_origins = cors_rule.value.allowed_origins
      allowed_headers = cors_rule.value.allowed_headers
      expose_headers  = cors_rule.value.expose_headers
      max_age_seconds = cors_rule.value.max_age_seconds
    }
  }
}

data "aws_iam_policy_document" "public_read" {
  statement {
    sid       = "PublicReadGetObject"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = [local.objects_arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }

  # Anonymous requests carry no aws:PrincipalArn: publish records stay readable to the
  # account's own principals (lmsops publish --rollback) and to nobody else.
  statement {
    sid       = "DenyAnonymousReadOfPublishRecords"
    effect    = "Deny"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = [local.publish_records_arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Null"
      variable = "aws:PrincipalArn"
      values   = ["true"]
    }
  }
}

# Documented exception to "no public buckets": anonymous read of objects is the
# purpose of an S3 website. Nothing else (list, write, ACLs) is granted.
resource "aws_s3_bucket_policy" "public_read" {
  # checkov:skip=CKV_AWS_70: Documented exception: anonymous s3:GetObject on the site's objects is what serves the website; nothing else is allowed.
  bucket = aws_s3_bucket.site.id
  policy = data.aws_iam_policy_document.public_read.json

  # S3 refuses a public policy (AccessDenied) while the public access block
  # still blocks public policies, so the block must be relaxed first.
  depends_on = [
    aws_s3_bucket_public_access_block.site,
    aws_s3_bucket_ownership_controls.site,
  ]
}
