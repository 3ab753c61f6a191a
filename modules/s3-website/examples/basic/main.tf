provider "aws" {
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  default_tags {
    tags = { Project = "lms", Environment = var.environment, ManagedBy = "terraform" }
  }
}

# CloudFront certificates must come from us-east-1.
provider "aws" {
  alias             = "us_east_1"
  region            = var.certificate_region
  s3_use_path_style = var.s3_use_path_style

  default_tags {
    tags = { Project = "lms", Environment = var.environment, ManagedBy = "terraform" }
  }
}

# The example brings its own zone so it plans and applies anywhere.
resource "aws_route53_zone" "example" {
  # checkov:skip=CKV2_AWS_38: Example zone; DNSSEC signing is out of scope for the module example.
  # checkov:skip=CKV2_AWS_39: Example zone; query logging is out of scope for the module example.
  name          = var.zone_name
  force_destroy = true
}

module "site" {
  source = "../.."

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  domain_name        = var.domain_name
  index_document     = var.index_document
  error_document     = var.error_document
  single_page_app    = var.single_page_app
  force_destroy      = var.force_destroy
  create_dns_records = true
  zone_id            = aws_route53_zone.example.zone_id
  redirect_www       = var.redirect_www
  enable_cloudfront  = var.enable_cloudfront
  cors_rules         = var.cors_rules

  tags = { Component = "frontend" }
}
