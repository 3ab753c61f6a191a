variable "cluster_name" {
  type        = string
  description = "Name of the ECS cluster that runs the service."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.cluster_name))
    error_message = "cluster_name must be 1-255 letters, digits, hyphens and underscores."
  }
}

variable "service_name" {
  type        = string
  description = "Name of the ECS service whose desired count is scaled."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.service_name))
    error_message = "service_name must be 1-255 letters, digits, hyphens and underscores."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}

variable "min_capacity" {
  type        = number
  description = "Fewest tasks autoscaling keeps running (at least 1, at most max_capacity)."
  default     = 1

  validation {
    condition     = var.min_capacity >= 1 && var.min_capacity == floor(var.min_capacity)
    error_message = "min_capacity must be a whole number of at least 1."
  }
}

variable "max_capacity" {
  type        = number
  description = "Most tasks autoscaling may run (at least min_capacity)."
  default     = 4

  validation {
    condition     = var.max_capacity >= 1 && var.max_capacity == floor(var.max_capacity)
    error_message = "max_capacity must be a whole number of at least 1."
  }
}

variable "load_balancer_arn_suffix" {
  type        = string
  description = "ARN suffix of the load balancer (app/NAME/ID); the module builds the request-count resource label from it."

  validation {
    condition     = can(regex("^app/[A-Za-z0-9-]+/[a-f0-9]+$", var.load_balancer_arn_suffix))
    error_message = "load_balancer_arn_suffix must be an application load balancer ARN suffix of the form app/NAME/ID."
  }
}

variable "target_group_arn_suffix" {
  type        = string
  description = "ARN suffix of the target group (targetgroup/NAME/ID); the module builds the request-count resource label from it."

  validation {
    condition     = can(regex("^targetgroup/[A-Za-z0-9-]+/[a-f0-9]+$", var.target_group_arn_suffix))
    error_message = "target_group_arn_suffix must be a target group ARN suffix of the form targetgroup/NAME/ID."
  }
}

variable "request_count_target_value" {
  type        = number
  description = "Target value of ALBRequestCountPerTarget: requests per task per minute autoscaling aims for."
  default     = 1000

  validation {
    condition     = var.request_count_target_value > 0
    error_message = "request_count_target_value must be greater than 0."
  }
}

variable "cpu_target_value" {
  type        = number
  description = "Target average CPU utilisation in percent for an extra CPU policy; null for none."
  default     = null

  validation {
    condition     = var.cpu_target_value == null ? true : var.cpu_target_value > 0 && var.cpu_target_value <= 100
    error_message = "cpu_target_value must be greater than 0 and at most 100 (percent), or null."
  }
}

variable "memory_target_value" {
  type        = number
  description = "Target average memory utilisation in percent for an extra memory policy; null for none."
  default     = null

  validation {
    condition     = var.memory_target_value == null ? true : var.memory_target_value > 0 && var.memory_target_value <= 100
    error_message = "memory_target_value must be greater than 0 and at most 100 (percent), or null."
  }
}

variable "scale_in_cooldown" {
  type        = number
  description = "Seconds after a scale-in before another scale-in may start."
  default     = 300

  validation {
    condition     = var.scale_in_cooldown >= 0
    error_message = "scale_in_cooldown must be 0 or more seconds."
  }
}

variable "scale_out_cooldown" {
  type        = number
  description = "Seconds after a scale-out before another scale-out may start."
  default     = 60

  validation {
    condition     = var.scale_out_cooldown >= 0
    error_message = "scale_out_cooldown must be 0 or more seconds."
  }
}
