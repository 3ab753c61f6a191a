provider "aws" {
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  # An apply with another account's credentials stops here, before anything is read.
  allowed_account_ids = length(var.allowed_account_ids) > 0 ? var.allowed_account_ids : null

  dynamic "assume_role" {
    for_each = var.assume_role_arn == null ? [] : [var.assume_role_arn]
    content {
      role_arn     = assume_role.value
      session_name = "lms-${var.environment}-backend"
    }
  }

  default_tags {
    tags = { Project = "lms", Environment = var.environment, ManagedBy = "terraform" }
  }
}
