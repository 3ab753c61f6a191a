locals {
  region = data.aws_region.current.name

  # Built from the names (not the alarms' computed ARNs) so the dashboard is known at plan time.
  alarm_arn_prefix = "arn:${data.aws_partition.current.partition}:cloudwatch:${local.region}:${data.aws_caller_identity.current.account_id}:alarm:"

  request_count_annotations = var.request_count_target_value == null ? [] : [
    { label = "autoscaling target", value = var.request_count_target_value },
  ]

  dashboard_widgets = [
    {
      title = "Requests and 5xx"
      metrics = [
        ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.load_balancer_arn_suffix, "TargetGroup", var.target_group_arn_suffix, { stat = "Sum", label = "requests" }],
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.load_balancer_arn_suffix, "TargetGroup", var.target_group_arn_suffix, { stat = "Sum", label = "target 5xx" }],
        ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", var.load_balancer_arn_suffix, { stat = "Sum", label = "load balancer 5xx" }],
      ]
      annotations = []
    },
    {
      title = "Target response time (s)"
      metrics = [
        for stat in ["p50", "p95", "p99"] :
        ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.load_balancer_arn_suffix, "TargetGroup", var.target_group_arn_suffix, { stat = stat, label = stat }]
      ]
      annotations = [{ label = "${var.response_time_statistic} alarm", value = var.response_time_threshold_seconds }]
    },
    {
      title = "Request count per target and the autoscaling target"
      metrics = [
        ["AWS/ApplicationELB", "RequestCountPerTarget", "TargetGroup", var.target_group_arn_suffix, "LoadBalancer", var.load_balancer_arn_suffix, { stat = "Sum", label = "requests per target" }],
      ]
      annotations = local.request_count_annotations
    },
    {
      title = "Healthy and unhealthy targets"
      metrics = [
        ["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", var.target_group_arn_suffix, "LoadBalancer", var.load_balancer_arn_suffix, { stat = "Minimum", label = "healthy" }],
        ["AWS/ApplicationELB", "UnHealthyHostCount", "TargetGroup", var.target_group_arn_suffix, "LoadBalancer", var.load_balancer_arn_suffix, { stat = "Maximum", label = "unhealthy" }],
      ]
      annotations = []
    },
    {
      title = "ECS CPU and memory (%)"
      metrics = [
        ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.service_name, { stat = "Average", label = "CPU" }],
        ["AWS/ECS", "MemoryUtilization", "ClusterName", var.cluster_name, "ServiceName", var.service_name, { stat = "Average", label = "memory" }],
      ]
      annotations = [
        { label = "CPU alarm", value = var.cpu_utilization_percent },
        { label = "memory alarm", value = var.memory_utilization_percent },
      ]
    },
    {
      title = "Running and desired tasks"
      metrics = [
        ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name, "ServiceName", var.service_name, { stat = "Average", label = "running" }],
        ["ECS/ContainerInsights", "DesiredTaskCount", "ClusterName", var.cluster_name, "ServiceName", var.service_name, { stat = "Average", label = "desired" }],
      ]
      annotations = []
    },
  ]

  dashboard_body = {
    widgets = concat(
      [
        {
          type   = "alarm"
          x      = 0
          y      = 0
          width  = 24
          height = 3
          properties = {
            title  = "Alarms of ${var.name}"
            alarms = [for name in values(local.alarm_names) : "${local.alarm_arn_prefix}${name}"]
          }
        },
      ],
      [
        for index, widget in local.dashboard_widgets : {
          type   = "metric"
          x      = (index % 2) * 12
          y      = 3 + floor(index / 2) * 6
          width  = 12
          height = 6
          properties = {
            title       = widget.title
            region      = local.region
            view        = "timeSeries"
            stacked     = false
            period      = var.period_seconds
            metrics     = widget.metrics
            annotations = { horizontal = widget.annotations }
          }
        }
      ],
    )
  }
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode(local.dashboard_body)
}
