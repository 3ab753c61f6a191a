resource "aws_dynamodb_table" "lock" {
  # checkov:skip=CKV_AWS_119: The table holds lock records and state digests, never state data; it is encrypted with the AWS managed key by default and with the customer key when kms_key_arn is set.
  count = local.lock_table ? 1 : 0

  name                        = local.lock_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "LockID"
  deletion_protection_enabled = true
  tags                        = var.tags

  attribute {
    name = "LockID"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  lifecycle {
    prevent_destroy = true
  }
}
