provider "aws" {
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  default_tags {
    tags = { Project = "lms", Environment = var.environment, ManagedBy = "terraform" }
  }
}

# Only used for the CloudFront certificate (CloudFront requires us-east-1).
provider "aws" {
  alias             = "us_east_1"
  region            = var.certificate_region
  s3_use_path_style = var.s3_use_path_style

  default_tags {
    tags = { Project = "lms", Environment = var.environment, ManagedBy = "terraform" }
  }
}
