provider "aws" {
  region = var.region

  default_tags {
    tags = { Project = "lms", Environment = var.environment, ManagedBy = "terraform" }
  }
}

module "cluster" {
  source = "../.."

  name               = "lms-${var.environment}-backend"
  container_insights = var.container_insights

  tags = { Component = "backend" }
}
