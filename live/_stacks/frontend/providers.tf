locals {
  # An apply with another account's credentials stops at provider configuration.
  allowed_account_ids = length(var.allowed_account_ids) > 0 ? var.allowed_account_ids : null
  assume_roles        = var.assume_role_arn == null ? [] : [var.assume_role_arn]
}

provider "aws" {
  region              = var.region
  s3_use_path_style   = var.s3_use_path_style
  allowed_account_ids = local.allowed_account_ids

  dynamic "assume_role" {
    for_each = local.assume_roles
    content {
      role_arn     = assume_role.value
      session_name = "lms-${var.environment}-frontend"
    }
  }

  default_tags {
    tags = { Project = "lms", Environment = var.environment, ManagedBy = "terraform" }
  }
}

# Only used for the CloudFront certificate (CloudFront requires us-east-1).
provider "aws" {
  alias               = "us_east_1"
  region              = var.certificate_region
  s3_use_path_style   = var.s3_use_path_style
  allowed_account_ids = local.allowed_account_ids

  dynamic "assume_role" {
    for_each = local.assume_roles
    content {
      role_arn     = assume_role.value
      session_name = "lms-${var.environment}-frontend"
    }
  }

  default_tags {
    tags = { Project = "lms", Environment = var.environment, ManagedBy = "terraform" }
  }
}
