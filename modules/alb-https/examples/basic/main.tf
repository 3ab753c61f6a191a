provider "aws" {
  region            = var.region
  s3_use_path_style = var.s3_use_path_style

  default_tags {
    tags = {
      Project     = "lms"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

module "alb" {
  source = "../.."

  name                      = "lms-example-api"
  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  zone_id                   = var.zone_id

  vpc_id                    = var.vpc_id
  subnet_ids                = var.subnet_ids
  ip_address_type           = var.ip_address_type
  target_port               = var.target_port
  service_security_group_id = var.service_security_group_id

  deletion_protection  = false
  deregistration_delay = 30
  health_check = {
    path     = "/health"
    interval = 10
  }

  hsts_max_age_seconds    = var.hsts_max_age_seconds
  hsts_include_subdomains = var.hsts_include_subdomains

  access_logs_enabled         = var.access_logs_enabled
  access_logs_delivery        = var.access_logs_delivery
  access_logs_prefix          = var.access_logs_prefix
  access_logs_expiration_days = var.access_logs_expiration_days
  access_logs_force_destroy   = true

  tags = { Component = "backend" }
}
