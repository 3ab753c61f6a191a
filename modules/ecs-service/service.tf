locals {
  image = coalesce(var.image, "${aws_ecr_repository.this.repository_url}:${var.image_tag}")

  # Memory (MiB) Fargate accepts for each cpu value (CPU units).
  fargate_memory = {
    256   = [512, 1024, 2048]
    512   = range(1024, 4097, 1024)
    1024  = range(2048, 8193, 1024)
    2048  = range(4096, 16385, 1024)
    4096  = range(8192, 30721, 1024)
    8192  = range(16384, 61441, 4096)
    16384 = range(32768, 122881, 8192)
  }

  container_definition = merge(
    {
      name                   = var.container_name
      image                  = local.image
      essential              = true
      readonlyRootFilesystem = var.readonly_root_filesystem
      portMappings = [{
        name          = var.container_name
        containerPort = var.container_port
        hostPort      = var.container_port
        protocol      = "tcp"
      }]
      environment = [for key in sort(keys(var.environment_variables)) : { name = key, value = var.environment_variables[key] }]
      secrets     = [for key in sort(keys(var.secrets)) : { name = key, valueFrom = var.secrets[key] }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = var.container_name
        }
      }
    },
    var.container_health_check == null ? {} : {
      healthCheck = {
        command     = var.container_health_check.command
        interval    = var.container_health_check.interval
        timeout     = var.container_health_check.timeout
        retries     = var.container_health_check.retries
        startPeriod = var.container_health_check.start_period
      }
    },
  )
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = jsonencode([local.container_definition])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  # Old revisions stay registered: they are the targets of a rollback.
  skip_destroy = true

  tags = var.tags

  lifecycle {
    precondition {
      condition     = contains(lookup(local.fargate_memory, tostring(var.cpu), []), var.memory)
      error_message = "cpu and memory must be a combination Fargate accepts: cpu 256 takes memory 512, 1024 or 2048; 512 takes 1024-4096; 1024 takes 2048-8192; 2048 takes 4096-16384 (steps of 1024); 4096 takes 8192-30720 (steps of 1024); 8192 takes 16384-61440 (steps of 4096); 16384 takes 32768-122880 (steps of 8192), e.g. cpu 256 with memory 512."
    }

    precondition {
      condition     = length(setintersection(keys(var.environment_variables), keys(var.secrets))) == 0
      error_message = "environment_variables and secrets must not define the same name (ECS refuses the task definition): ${join(", ", setintersection(keys(var.environment_variables), keys(var.secrets)))}. Keep each name in one of them, e.g. DATABASE_URL in secrets only."
    }
  }
}

resource "aws_security_group" "service" {
  name_prefix = "${var.name}-svc-"
  description = "Tasks of ${var.name}: container port from the load balancer only."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-service" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_load_balancer" {
  security_group_id            = aws_security_group.service.id
  description                  = "Container port from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = var.load_balancer_security_group_id

  tags = var.tags
}

# Tasks reach ECR, CloudWatch Logs and the secret stores over their public HTTPS endpoints.
resource "aws_vpc_security_group_egress_rule" "https" {
  for_each = toset(var.egress_https_cidr_blocks)

  security_group_id = aws_security_group.service.id
  description       = "HTTPS to AWS APIs (image pull, logs, secrets)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value

  tags = var.tags
}

resource "aws_ecs_service" "this" {
  # checkov:skip=CKV_AWS_333: tasks run in the default VPC's public subnets, which have no NAT gateway; without a public IP they cannot pull images or write logs. assign_public_ip is an input (false by default); the service security group admits only the load balancer.
  name                               = var.name
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.health_check_grace_period_seconds
  availability_zone_rebalancing      = "ENABLED"
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"
  enable_execute_command             = var.enable_execute_command
  wait_for_steady_state              = false

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  deployment_controller {
    type = "ECS"
  }

  dynamic "alarms" {
    for_each = var.deployment_alarms_enabled ? [1] : []
    content {
      alarm_names = var.deployment_alarm_names
      enable      = true
      rollback    = true
    }
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.service.id]
    assign_public_ip = var.assign_public_ip
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = var.container_name
    container_port   = var.container_port
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = !var.deployment_alarms_enabled || length(var.deployment_alarm_names) > 0
      error_message = "deployment_alarm_names must name at least one alarm when deployment_alarms_enabled is true, e.g. [\"lms-prod-backend-target-5xx-rate\"]."
    }

    # Deploys register new revisions outside Terraform and autoscaling moves the desired
    # count; neither may be undone by the next apply. See README "Deploys and Terraform".
    ignore_changes = [desired_count, task_definition]
  }

  depends_on = [aws_iam_role_policy.execution, aws_iam_role_policy.execute_command]
}
