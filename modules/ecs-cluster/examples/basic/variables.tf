variable "region" {
  type        = string
  description = "AWS region to deploy into."
}

variable "environment" {
  type        = string
  default     = "example"
  description = "Environment name used in the cluster name and tags."
}

variable "container_insights" {
  type        = string
  default     = "enabled"
  description = "Container Insights setting of the cluster."
}
