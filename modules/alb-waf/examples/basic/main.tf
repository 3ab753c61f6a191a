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

module "waf" {
  source = "../.."

  name              = var.name
  load_balancer_arn = var.load_balancer_arn
  rate_limit        = var.rate_limit

  tags = { Component = "backend" }
}
