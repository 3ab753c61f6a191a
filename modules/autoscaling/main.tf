locals {
  resource_id = "service/${var.cluster_name}/${var.service_name}"

  # Target-tracking policies: request count per target always, CPU and memory when given.
  policies = merge(
    {
      requests = {
        metric         = "ALBRequestCountPerTarget"
        target_value   = var.request_count_target_value
        resource_label = "${var.load_balancer_arn_suffix}/${var.target_group_arn_suffix}"
      }
    },
    var.cpu_target_value == null ? {} : {
      cpu = { metric = "ECSServiceAverageCPUUtilization", target_value = var.cpu_target_value, resource_label = null }
    },
    var.memory_target_value == null ? {} : {
      memory = { metric = "ECSServiceAverageMemoryUtilization", target_value = var.memory_target_value, resource_label = null }
    },
  )
}

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = local.resource_id
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.min_capacity <= var.max_capacity
      error_message = "min_capacity must not be greater than max_capacity (min_capacity ${var.min_capacity}, max_capacity ${var.max_capacity}), e.g. min_capacity 1 with max_capacity 4."
    }

    precondition {
      condition     = length(var.cluster_name) + length(var.service_name) <= 245
      error_message = "cluster_name and service_name must together be at most 245 characters: the scaling policies are named CLUSTER-SERVICE-requests (or -cpu, -memory) and AWS allows 255, e.g. lms-prod-backend and lms-prod-backend."
    }
  }
}

resource "aws_appautoscaling_policy" "this" {
  for_each = local.policies

  name               = "${var.cluster_name}-${var.service_name}-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = each.value.target_value
    scale_in_cooldown  = var.scale_in_cooldown
    scale_out_cooldown = var.scale_out_cooldown
    disable_scale_in   = false

    predefined_metric_specification {
      predefined_metric_type = each.value.metric
      resource_label         = each.value.resource_label
    }
  }
}
