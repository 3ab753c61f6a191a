locals {
  lb_dimensions  = { LoadBalancer = var.load_balancer_arn_suffix }
  tg_dimensions  = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  ecs_dimensions = { ClusterName = var.cluster_name, ServiceName = var.service_name }

  # 5xx rates: percent of requests, as metric math (no traffic means no data, not an alarm).
  rate_alarms = {
    elb_5xx_rate = {
      description = "Percent of requests the load balancer itself answered 5xx (no healthy target, timeouts) is above ${var.elb_5xx_rate_percent} %."
      metric      = "HTTPCode_ELB_5XX_Count"
      dimensions  = local.lb_dimensions
      threshold   = var.elb_5xx_rate_percent
    }
    target_5xx_rate = {
      description = "Percent of requests the service answered 5xx is above ${var.target_5xx_rate_percent} %."
      metric      = "HTTPCode_Target_5XX_Count"
      dimensions  = local.tg_dimensions
      threshold   = var.target_5xx_rate_percent
    }
  }

  # Single-metric alarms.
  metric_alarms = {
    target_response_time = {
      description = "${var.response_time_statistic} of the target response time is above ${var.response_time_threshold_seconds} s."
      namespace   = "AWS/ApplicationELB"
      metric      = "TargetResponseTime"
      dimensions  = local.tg_dimensions
      statistic   = null
      extended    = var.response_time_statistic
      threshold   = var.response_time_threshold_seconds
      periods     = var.evaluation_periods
    }
    unhealthy_hosts = {
      description = "The target group reports unhealthy targets."
      namespace   = "AWS/ApplicationELB"
      metric      = "UnHealthyHostCount"
      dimensions  = local.tg_dimensions
      statistic   = "Maximum"
      extended    = null
      threshold   = 0
      periods     = var.evaluation_periods
    }
    cpu_high = {
      description = "Average CPU utilisation of the service is above ${var.cpu_utilization_percent} %."
      namespace   = "AWS/ECS"
      metric      = "CPUUtilization"
      dimensions  = local.ecs_dimensions
      statistic   = "Average"
      extended    = null
      threshold   = var.cpu_utilization_percent
      periods     = var.evaluation_periods
    }
    memory_high = {
      description = "Average memory utilisation of the service is above ${var.memory_utilization_percent} %."
      namespace   = "AWS/ECS"
      metric      = "MemoryUtilization"
      dimensions  = local.ecs_dimensions
      statistic   = "Average"
      extended    = null
      threshold   = var.memory_utilization_percent
      periods     = var.evaluation_periods
    }
  }

  alarm_names = {
    for key in concat(keys(local.rate_alarms), keys(local.metric_alarms), ["tasks_below_desired"]) :
    key => "${var.name}-${replace(key, "_", "-")}"
  }

  # The alarms that mean "the revision being deployed is bad": ECS rolls a deployment back
  # when one of them fires. CPU, memory and task-count alarms are about load and capacity.
  deployment_alarm_keys = ["elb_5xx_rate", "target_5xx_rate", "unhealthy_hosts"]

  notification_arns = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "rate" {
  for_each = local.rate_alarms

  alarm_name          = local.alarm_names[each.key]
  alarm_description   = each.value.description
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  evaluation_periods  = var.evaluation_periods
  datapoints_to_alarm = var.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.notification_arns
  ok_actions          = local.notification_arns

  metric_query {
    id          = "rate"
    expression  = "100 * FILL(errors, 0) / requests"
    label       = "${each.value.metric} percent of requests"
    return_data = true
  }

  metric_query {
    id = "errors"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = each.value.metric
      dimensions  = each.value.dimensions
      period      = var.period_seconds
      stat        = "Sum"
    }
  }

  metric_query {
    id = "requests"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = each.value.dimensions
      period      = var.period_seconds
      stat        = "Sum"
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "metric" {
  for_each = local.metric_alarms

  alarm_name          = local.alarm_names[each.key]
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended
  period              = var.period_seconds
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.notification_arns
  ok_actions          = local.notification_arns

  tags = var.tags
}

# Container Insights (enabled on the cluster) reports the desired and running task counts;
# a gap that lasts tasks_below_desired_evaluation_periods periods means tasks cannot start
# or keep crashing, longer than any deploy or scale-out should take.
resource "aws_cloudwatch_metric_alarm" "tasks_below_desired" {
  alarm_name          = local.alarm_names["tasks_below_desired"]
  alarm_description   = "Fewer tasks run than the service's desired count for ${var.tasks_below_desired_evaluation_periods} periods."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = var.tasks_below_desired_evaluation_periods
  datapoints_to_alarm = var.tasks_below_desired_evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.notification_arns
  ok_actions          = local.notification_arns

  metric_query {
    id          = "missing"
    expression  = "desired - running"
    label       = "Desired minus running tasks"
    return_data = true
  }

  metric_query {
    id = "desired"

    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "DesiredTaskCount"
      dimensions  = local.ecs_dimensions
      period      = var.period_seconds
      stat        = "Average"
    }
  }

  metric_query {
    id = "running"

    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "RunningTaskCount"
      dimensions  = local.ecs_dimensions
      period      = var.period_seconds
      stat        = "Average"
    }
  }

  tags = var.tags
}

locals {
  created_alarm_names = merge(
    { for key, alarm in aws_cloudwatch_metric_alarm.rate : key => alarm.alarm_name },
    { for key, alarm in aws_cloudwatch_metric_alarm.metric : key => alarm.alarm_name },
    { tasks_below_desired = aws_cloudwatch_metric_alarm.tasks_below_desired.alarm_name },
  )

  alarm_arns = merge(
    { for key, alarm in aws_cloudwatch_metric_alarm.rate : key => alarm.arn },
    { for key, alarm in aws_cloudwatch_metric_alarm.metric : key => alarm.arn },
    { tasks_below_desired = aws_cloudwatch_metric_alarm.tasks_below_desired.arn },
  )
}
