provider "aws" {
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  default_tags {
    tags = {
      Project     = "lms"
      Environment = "example"
      ManagedBy   = "terraform"
    }
  }
}

module "remote_state" {
  source = "../.."

  name                                   = var.name
  lock_table_name                        = var.lock_table_name
  locking                                = var.locking
  kms_key_arn                            = var.kms_key_arn
  noncurrent_version_expiration_days     = var.noncurrent_version_expiration_days
  abort_incomplete_multipart_upload_days = var.abort_incomplete_multipart_upload_days
  backend_use_path_style                 = var.s3_use_path_style
  tags                                   = var.tags
}
