provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "lms"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

module "monitoring" {
  source = "../.."

  name                     = "lms-example-backend"
  load_balancer_arn_suffix = var.load_balancer_arn_suffix
  target_group_arn_suffix  = var.target_group_arn_suffix
  cluster_name             = "lms-example-backend"
  service_name             = "lms-example-backend"

  evaluation_periods              = var.evaluation_periods
  response_time_statistic         = var.response_time_statistic
  response_time_threshold_seconds = var.response_time_threshold_seconds
  notification_emails             = var.notification_emails
  request_count_target_value      = var.request_count_target_value

  tags = { Component = "backend" }
}
