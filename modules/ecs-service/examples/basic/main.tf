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

# One cluster that several services can share; each service takes its ARN.
module "ecs_cluster" {
  source = "../../../ecs-cluster"

  name = "lms-${var.environment}-backend"

  tags = { Component = "backend" }
}

module "ecs_service" {
  source = "../.."

  name        = "lms-example-backend"
  environment = var.environment
  image       = var.image
  image_tag   = "bootstrap"
  cluster_arn = module.ecs_cluster.arn

  cpu                = var.cpu
  memory             = var.memory
  container_port     = var.container_port
  log_retention_days = var.log_retention_days

  environment_variables = {
    NODE_ENV = "production"
    PORT     = tostring(var.container_port)
  }
  secrets = var.secrets

  container_health_check = {
    command = ["CMD-SHELL", "wget -qO- http://localhost:4000/health || exit 1"]
  }

  vpc_id                          = var.vpc_id
  subnet_ids                      = var.subnet_ids
  assign_public_ip                = true
  load_balancer_security_group_id = var.load_balancer_security_group_id
  target_group_arn                = var.target_group_arn

  deployment_alarms_enabled = var.deployment_alarms_enabled
  deployment_alarm_names    = var.deployment_alarm_names
  enable_execute_command    = var.enable_execute_command

  tags = { Component = "backend" }
}
