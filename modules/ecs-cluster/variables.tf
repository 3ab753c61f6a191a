variable "name" {
  type        = string
  description = "Name of the ECS cluster; the services that share it take its ARN."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.name))
    error_message = "name must be 1-255 letters, digits, hyphens and underscores (what ECS accepts for a cluster name), e.g. lms-prod-backend."
  }
}

variable "container_insights" {
  type        = string
  description = "CloudWatch Container Insights of the cluster: enabled, enhanced (adds task and container level metrics, at a higher price) or disabled; null means enabled."
  default     = "enabled"
  nullable    = false

  validation {
    condition     = contains(["enabled", "enhanced", "disabled"], var.container_insights)
    error_message = "container_insights must be enabled, enhanced or disabled, e.g. enabled."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to the cluster."
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
