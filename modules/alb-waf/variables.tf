variable "name" {
  type        = string
  description = "Name of the web ACL; prefixes its CloudWatch metric names."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,100}$", var.name))
    error_message = "name must be 1-100 letters, digits, hyphens and underscores, e.g. lms-prod-backend."
  }
}

variable "load_balancer_arn" {
  type        = string
  description = "ARN of the Application Load Balancer the web ACL protects."

  validation {
    condition     = can(regex("^arn:[a-z-]+:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/app/.+$", var.load_balancer_arn))
    error_message = "load_balancer_arn must be an Application Load Balancer ARN, e.g. arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lms-prod-backend/0123456789abcdef."
  }
}

variable "rate_limit" {
  type        = number
  description = "Requests one client IP may send in any 5-minute window before the rate rule blocks it."
  default     = 2000

  validation {
    condition     = var.rate_limit >= 100 && var.rate_limit <= 2000000000 && var.rate_limit == floor(var.rate_limit)
    error_message = "rate_limit must be a whole number of requests per 5 minutes from 100 to 2000000000, e.g. 2000."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
