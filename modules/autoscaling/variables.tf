variable "cluster_name" {
  type        = string
  description = "Name of the ECS cluster that runs the service."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.cluster_name))
    error_message = "cluster_name must be 1-255 letters, digits, hyphens and underscores, e.g. lms-prod-backend."
  }
}

variable "service_name" {
  type        = string
  description = "Name of the ECS service whose desired count is scaled."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.service_name))
    error_message = "service_name must be 1-255 letters, digits, hyphens and underscores, e.g. lms-prod-backend."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}

  validation {
    condition     = alltrue([for key in keys(var.tags) : !startswith(lower(key), "aws:")])
    error_message = "tags keys must not start with aws: (AWS reserves that prefix for its own tags), e.g. { Team = \"lms\" }."
  }

  validation {
    condition     = alltrue([for key, value in var.tags : length(key) >= 1 && length(key) <= 128 && length(value) <= 256 && can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*$", "${key}${value}"))])
    error_message = "tags keys must be 1-128 and values at most 256 characters of letters, digits, spaces and _ . : / = + - @, e.g. { Team = \"lms\" }."
  }
}

variable "min_capacity" {
  type        = number
  description = "Fewest tasks autoscaling keeps running (at least 1, at most max_capacity)."
  default     = 1

  validation {
    condition     = var.min_capacity >= 1 && var.min_capacity <= 5000 && var.min_capacity == floor(var.min_capacity)
    error_message = "min_capacity must be a whole number of tasks from 1 to 5000 (the ECS tasks-per-service quota), e.g. 1."
  }
}

variable "max_capacity" {
  type        = number
  description = "Most tasks autoscaling may run (at least min_capacity)."
  default     = 4

  validation {
    condition     = var.max_capacity >= 1 && var.max_capacity <= 5000 && var.max_capacity == floor(var.max_capacity)
    error_message = "max_capacity must be a whole number of tasks from 1 to 5000 (the ECS tasks-per-service quota), e.g. 4."
  }
}

variable "load_balancer_arn_suffix" {
  type        = string
  description = "ARN suffix of the load balancer (app/NAME/ID); the module builds the request-count resource label from it."

  validation {
    condition     = can(regex("^app/[A-Za-z0-9-]{1,32}/[a-f0-9]+$", var.load_balancer_arn_suffix))
    error_message = "load_balancer_arn_suffix must be an application load balancer ARN suffix of the form app/NAME/ID, e.g. app/lms-prod-backend/50dc6c495c0c9188."
  }
}

variable "target_group_arn_suffix" {
  type        = string
  description = "ARN suffix of the target group (targetgroup/NAME/ID); the module builds the request-count resource label from it."

  validation {
    condition     = can(regex("^targetgroup/[A-Za-z0-9-]{1,32}/[a-f0-9]+$", var.target_group_arn_suffix))
    error_message = "target_group_arn_suffix must be a target group ARN suffix of the form targetgroup/NAME/ID, e.g. targetgroup/lmspro20250101/73e2d6bc24d8a067."
  }
}

variable "request_count_target_value" {
  type        = number
  description = "Target value of ALBRequestCountPerTarget: requests per task per minute autoscaling aims for."
  default     = 1000

  validation {
    condition     = var.request_count_target_value >= 1 && var.request_count_target_value <= 1000000
    error_message = "request_count_target_value must be from 1 to 1000000 requests per task per minute, e.g. 1000."
  }
}

variable "cpu_target_value" {
  type        = number
  description = "Target average CPU utilisation in percent for an extra CPU policy; null for none."
  default     = null

  validation {
    condition     = var.cpu_target_value == null ? true : var.cpu_target_value >= 1 && var.cpu_target_value <= 100
    error_message = "cpu_target_value must be null or a percentage from 1 to 100 (70 means 70 %, not 0.7), e.g. 70."
  }
}

variable "memory_target_value" {
  type        = number
  description = "Target average memory utilisation in percent for an extra memory policy; null for none."
  default     = null

  validation {
    condition     = var.memory_target_value == null ? true : var.memory_target_value >= 1 && var.memory_target_value <= 100
    error_message = "memory_target_value must be null or a percentage from 1 to 100 (70 means 70 %, not 0.7), e.g. 70."
  }
}

variable "scale_in_cooldown" {
  type        = number
  description = "Seconds after a scale-in before another scale-in may start."
  default     = 300

  validation {
    condition     = var.scale_in_cooldown >= 0 && var.scale_in_cooldown <= 86400 && var.scale_in_cooldown == floor(var.scale_in_cooldown)
    error_message = "scale_in_cooldown must be a whole number of seconds from 0 to 86400 (one day), e.g. 300."
  }
}

variable "scale_out_cooldown" {
  type        = number
  description = "Seconds after a scale-out before another scale-out may start."
  default     = 60

  validation {
    condition     = var.scale_out_cooldown >= 0 && var.scale_out_cooldown <= 86400 && var.scale_out_cooldown == floor(var.scale_out_cooldown)
    error_message = "scale_out_cooldown must be a whole number of seconds from 0 to 86400 (one day), e.g. 60."
  }
}
