locals {
  name = "lms-${var.environment}-backend"

  # The default VPC has one default subnet per Availability Zone; the two lowest ids give
  # two distinct zones and the same choice on every run.
  subnet_ids = slice(sort(data.aws_subnets.default.ids), 0, 2)

  # One rolling deploy step at worst (live/README.md) and the bound each environment keeps.
  rolling_deploy_worst_case_seconds = var.health_check.interval * var.health_check.healthy_threshold + var.deregistration_delay + var.health_check_grace_period_seconds
  rolling_deploy_bound_seconds      = { dev = 90, prod = 120 }
}

# The zone is found among the account's zones rather than looked up by name: a name
# lookup that finds nothing fails with the provider's own error, which does not say
# which input to fix. Route53 lists few zones per account, so this costs a few reads.
data "aws_route53_zones" "all" {}

data "aws_route53_zone" "listed" {
  for_each = toset(data.aws_route53_zones.all.ids)

  zone_id = each.value
}

locals {
  public_zone_ids = { for id, zone in data.aws_route53_zone.listed : trimsuffix(zone.name, ".") => id... if !zone.private_zone }
}

# Checked before anything is created: ECS Exec opens shells into production tasks only by a
# deliberate, reviewed override.
data "aws_caller_identity" "current" {
  lifecycle {
    precondition {
      condition     = var.environment != "prod" || !var.enable_execute_command || var.allow_execute_command_in_prod
      error_message = "enable_execute_command is refused in prod: set allow_execute_command_in_prod = true in live/prod/backend/terraform.tfvars to allow shells into production tasks deliberately (e.g. enable_execute_command = true with allow_execute_command_in_prod = true), or keep enable_execute_command = false."
    }
  }
}

data "aws_route53_zone" "main" {
  zone_id = try(one(local.public_zone_ids[var.zone_name]), null)

  # What only this root knows is checked here, before anything is read or created.
  lifecycle {
    precondition {
      condition     = length(lookup(local.public_zone_ids, var.zone_name, [])) == 1
      error_message = "zone_name ${var.zone_name} must name exactly one public hosted zone of this account (found ${length(lookup(local.public_zone_ids, var.zone_name, []))}): create it with bootstrap/ (hosted_zones = [\"${var.zone_name}\"]) or fix zone_name, e.g. acme-lms.com."
    }

    precondition {
      condition     = var.domain_name == var.zone_name || endswith(var.domain_name, ".${var.zone_name}")
      error_message = "domain_name ${var.domain_name} must be inside zone_name ${var.zone_name} (equal to it or ending in .${var.zone_name}), e.g. api.${var.zone_name}: Route53 refuses a record outside its zone only after the load balancer exists."
    }

    precondition {
      condition     = var.environment != "prod" || var.deletion_protection
      error_message = "deletion_protection must be true in prod: the load balancer of a production environment must not be deletable by one apply, e.g. deletion_protection = true."
    }

    precondition {
      condition     = var.environment != "prod" || !var.ecr_force_delete
      error_message = "ecr_force_delete must be false in prod: destroying the environment must not delete the images it runs, e.g. ecr_force_delete = false."
    }

    precondition {
      condition     = lookup(var.environment_variables, "PORT", tostring(var.container_port)) == tostring(var.container_port)
      error_message = "environment_variables PORT (${lookup(var.environment_variables, "PORT", "unset")}) must equal container_port (${var.container_port}): the application would listen where the load balancer does not send traffic, e.g. PORT = \"4000\" with container_port = 4000."
    }

    precondition {
      condition     = local.rolling_deploy_worst_case_seconds < local.rolling_deploy_bound_seconds[var.environment]
      error_message = "health_check, deregistration_delay and health_check_grace_period_seconds make one rolling deploy step take up to ${local.rolling_deploy_worst_case_seconds} s (interval ${var.health_check.interval} x healthy_threshold ${var.health_check.healthy_threshold} + deregistration_delay ${var.deregistration_delay} + grace ${var.health_check_grace_period_seconds}); ${var.environment} must stay under ${local.rolling_deploy_bound_seconds[var.environment]} s (live/README.md), e.g. 10 x 2 + 30 + 30 = 80 s."
    }
  }
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }

  filter {
    name   = "default-for-az"
    values = ["true"]
  }

  lifecycle {
    postcondition {
      condition     = length(self.ids) >= 2
      error_message = "The default VPC needs default subnets in at least two Availability Zones (aws ec2 create-default-subnet --availability-zone ...)."
    }
  }
}

module "alb" {
  source = "../../../modules/alb-https"

  name        = local.name
  domain_name = var.domain_name
  zone_id     = data.aws_route53_zone.main.zone_id

  vpc_id                    = data.aws_vpc.default.id
  subnet_ids                = local.subnet_ids
  target_port               = var.container_port
  service_security_group_id = module.service.security_group_id

  deletion_protection  = var.deletion_protection
  deregistration_delay = var.deregistration_delay
  health_check         = var.health_check

  access_logs_enabled         = var.access_logs_enabled
  access_logs_expiration_days = var.access_logs_expiration_days
  access_logs_force_destroy   = var.ecr_force_delete

  tags = { Component = "backend" }
}

module "waf" {
  source = "../../../modules/alb-waf"
  count  = var.waf_enabled ? 1 : 0

  name              = local.name
  load_balancer_arn = module.alb.lb_arn
  rate_limit        = var.waf_rate_limit

  tags = { Component = "backend" }
}

# The cluster is its own module so that more services can join it; the backend service
# takes its ARN.
module "cluster" {
  source = "../../../modules/ecs-cluster"

  name = local.name

  tags = { Component = "backend" }
}

module "service" {
  source = "../../../modules/ecs-service"

  name        = local.name
  environment = var.environment
  image_tag   = var.image_tag
  cluster_arn = module.cluster.arn

  cpu                   = var.cpu
  memory                = var.memory
  container_port        = var.container_port
  environment_variables = var.environment_variables
  secrets               = var.secrets

  image_tag_mutability = "IMMUTABLE"
  ecr_force_delete     = var.ecr_force_delete
  log_retention_days   = var.log_retention_days

  vpc_id                            = data.aws_vpc.default.id
  subnet_ids                        = local.subnet_ids
  assign_public_ip                  = var.assign_public_ip
  load_balancer_security_group_id   = module.alb.security_group_id
  target_group_arn                  = module.alb.target_group_arn
  desired_count                     = var.min_capacity
  health_check_grace_period_seconds = var.health_check_grace_period_seconds

  deployment_alarms_enabled = var.deployment_alarms_enabled
  deployment_alarm_names    = module.monitoring.deployment_alarm_names
  enable_execute_command    = var.enable_execute_command

  tags = { Component = "backend" }
}

module "autoscaling" {
  source = "../../../modules/autoscaling"

  cluster_name = module.cluster.name
  service_name = module.service.service_name

  min_capacity               = var.min_capacity
  max_capacity               = var.max_capacity
  load_balancer_arn_suffix   = module.alb.lb_arn_suffix
  target_group_arn_suffix    = module.alb.target_group_arn_suffix
  request_count_target_value = var.request_count_target_value
  cpu_target_value           = var.cpu_target_value
  scale_in_cooldown          = var.scale_in_cooldown
  scale_out_cooldown         = var.scale_out_cooldown

  tags = { Component = "backend" }
}

module "monitoring" {
  source = "../../../modules/service-monitoring"

  name                     = local.name
  load_balancer_arn_suffix = module.alb.lb_arn_suffix
  target_group_arn_suffix  = module.alb.target_group_arn_suffix
  cluster_name             = local.name
  service_name             = local.name

  period_seconds                         = var.alarms.period_seconds
  evaluation_periods                     = var.alarms.evaluation_periods
  tasks_below_desired_evaluation_periods = var.alarms.tasks_below_desired_evaluation_periods
  elb_5xx_rate_percent                   = var.alarms.elb_5xx_rate_percent
  target_5xx_rate_percent                = var.alarms.target_5xx_rate_percent
  response_time_statistic                = var.alarms.response_time_statistic
  response_time_threshold_seconds        = var.alarms.response_time_threshold_seconds
  cpu_utilization_percent                = var.alarms.cpu_utilization_percent
  memory_utilization_percent             = var.alarms.memory_utilization_percent
  notification_emails                    = var.alarm_emails
  request_count_target_value             = var.request_count_target_value

  tags = { Component = "backend" }
}
