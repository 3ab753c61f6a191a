module "remote_state" {
  source = "../modules/remote-state"

  name                               = var.state_bucket_name
  locking                            = var.locking
  kms_key_arn                        = var.state_kms_key_arn
  noncurrent_version_expiration_days = var.state_noncurrent_version_expiration_days
  backend_use_path_style             = var.s3_use_path_style
}

resource "aws_route53_zone" "public" {
  # checkov:skip=CKV2_AWS_38: DNSSEC signing needs an asymmetric KMS key and a DS record at the registrar; it is enabled once the domain is delegated, not at bootstrap.
  # checkov:skip=CKV2_AWS_39: Query logging needs a CloudWatch log group and resource policy in us-east-1, owned by the account's logging setup rather than this bootstrap.
  for_each = toset(var.hosted_zones)

  name    = each.value
  comment = "Public zone for the LMS environments (managed by bootstrap/)."

  # Re-creating a public zone changes its name servers and breaks the delegation.
  lifecycle {
    prevent_destroy = true
  }
}
