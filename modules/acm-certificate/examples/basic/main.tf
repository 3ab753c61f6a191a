provider "aws" {
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  default_tags {
    tags = { Project = "lms", Environment = var.environment, ManagedBy = "terraform" }
  }
}

# The region the certificate is issued in is the caller's choice: the provider passed to
# the module. CloudFront, for one, only accepts certificates from us-east-1.
provider "aws" {
  alias             = "certificate"
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

module "certificate" {
  source = "../.."

  providers = {
    aws = aws.certificate
  }

  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  zone_id                   = aws_route53_zone.example.zone_id
  key_algorithm             = var.key_algorithm
  validation_timeout        = var.validation_timeout

  tags = { Component = "example" }
}
