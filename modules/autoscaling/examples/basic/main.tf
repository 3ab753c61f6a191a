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

module "autoscaling" {
  source = "../.."

  cluster_name = var.cluster_name
  service_name = var.service_name

  min_capacity = var.min_capacity
  max_capacity = var.max_capacity

  load_balancer_arn_suffix   = var.load_balancer_arn_suffix
  target_group_arn_suffix    = var.target_group_arn_suffix
  request_count_target_value = var.request_count_target_value
  scale_in_cooldown          = 300
  scale_out_cooldown         = 60

  cpu_target_value = 70

  tags = { Component = "backend" }
}
