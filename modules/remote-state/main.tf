data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  lock_table_name = coalesce(var.lock_table_name, "${var.name}-lock")
  use_kms         = var.kms_key_arn != null
  lock_table      = var.locking == "dynamodb"

  # Derived from the name (not the resource) so the bucket policy is known at plan time.
  bucket_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.name}"

  # Partial configuration for `terraform init -backend-config=FILE`: everything a
  # live root's backend "s3" block needs except its own `key`. Built from inputs,
  # not resource attributes, so it is known at plan time.
  backend_settings = concat(
    [
      "bucket         = \"${var.name}\"",
      "region         = \"${data.aws_region.current.name}\"",
      "encrypt        = true",
    ],
    local.use_kms ? ["kms_key_id     = \"${var.kms_key_arn}\""] : [],
    local.lock_table ? ["dynamodb_table = \"${local.lock_table_name}\""] : ["use_lockfile   = true"],
    var.backend_use_path_style ? ["use_path_style = true"] : [],
  )
}
