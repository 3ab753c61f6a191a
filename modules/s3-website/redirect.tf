# www.<domain> answers every request with a redirect to the apex site; it holds
# no content, so it stays fully private (S3 serves redirect-all rules without
# any object access).
locals {
  www_domain_name = "www.${var.domain_name}"
}

resource "aws_s3_bucket" "www" {
  # checkov:skip=CKV_AWS_18: Redirect-only bucket with no objects; nothing to log.
  # checkov:skip=CKV_AWS_144: Redirect-only bucket with no objects; nothing to replicate.
  # checkov:skip=CKV2_AWS_62: Redirect-only bucket with no objects; no events.
  # checkov:skip=CKV_AWS_145: Redirect-only bucket with no objects; SSE-S3 is enough.
  # checkov:skip=CKV_AWS_21: Redirect-only bucket with no objects; nothing to version.
  # checkov:skip=CKV2_AWS_61: Redirect-only bucket with no objects; no lifecycle needed.
  count = var.redirect_www ? 1 : 0

  bucket        = local.www_domain_name
  force_destroy = var.force_destroy
  tags          = var.tags

  lifecycle {
    precondition {
      condition     = length(local.www_domain_name) <= 63
      error_message = "redirect_www needs domain_name of at most 59 characters: www.${var.domain_name} exceeds the 63-character bucket name limit, e.g. example.com."
    }

    precondition {
      condition     = !startswith(var.domain_name, "www.")
      error_message = "redirect_www must be false when domain_name already starts with www. (it would create www.${var.domain_name}); set domain_name to the apex, e.g. example.com, to redirect www.example.com to it."
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "www" {
  count = var.redirect_www ? 1 : 0

  bucket = aws_s3_bucket.www[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "www" {
  count = var.redirect_www ? 1 : 0

  bucket = aws_s3_bucket.www[0].id

  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "www" {
  count = var.redirect_www ? 1 : 0

  bucket = aws_s3_bucket.www[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_website_configuration" "www" {
  count = var.redirect_www ? 1 : 0

  bucket = aws_s3_bucket.www[0].id

  redirect_all_requests_to {
    host_name = var.domain_name
    protocol  = var.enable_cloudfront ? "https" : "http"
  }
}
