variable "name" {
  type        = string
  description = "Name of the service; also names the ECR repository, cluster, task family, roles and security group."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.name)) && !endswith(var.name, "-")
    error_message = "name must be 1-32 characters: lower case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "environment" {
  type        = string
  description = "Environment name (e.g. dev, prod); part of the log group name so two environments never share logs."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.environment))
    error_message = "environment must be 1-16 characters: lower case letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}

variable "image_tag_mutability" {
  type        = string
  description = "Tag mutability of the ECR repository: IMMUTABLE (a tag always names the same image) or MUTABLE."
  default     = "IMMUTABLE"

  validation {
    condition     = contains(["IMMUTABLE", "MUTABLE"], var.image_tag_mutability)
    error_message = "image_tag_mutability must be IMMUTABLE or MUTABLE."
  }
}

variable "ecr_keep_tagged_images" {
  type        = number
  description = "Number of most recent tagged images the ECR lifecycle policy keeps; older tagged images expire."
  default     = 30

  validation {
    condition     = var.ecr_keep_tagged_images >= 1 && var.ecr_keep_tagged_images == floor(var.ecr_keep_tagged_images)
    error_message = "ecr_keep_tagged_images must be a whole number of at least 1."
  }
}

variable "ecr_force_delete" {
  type        = bool
  description = "Let Terraform delete the ECR repository even when it still holds images."
  default     = false
}

variable "ecr_kms_key_arn" {
  type        = string
  description = "KMS key ARN that encrypts the ECR repository; null uses the AWS managed key for ECR."
  default     = null
}

variable "log_retention_days" {
  type        = number
  description = "Days CloudWatch keeps the container logs; one of the values CloudWatch Logs accepts."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  type        = string
  description = "KMS key ARN that encrypts the log group; null keeps CloudWatch Logs' default encryption."
  default     = null
}

variable "image" {
  type        = string
  description = "Full image reference for the first task definition; null uses the module's ECR repository with image_tag."
  default     = null
}

variable "image_tag" {
  type        = string
  description = "Image tag in the module's ECR repository for the first task definition (deploys register later revisions)."
  default     = "latest"

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid Docker tag: up to 128 letters, digits, underscores, periods and hyphens, not starting with a period or hyphen."
  }
}

variable "container_name" {
  type        = string
  description = "Name of the application container in the task definition."
  default     = "app"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$", var.container_name))
    error_message = "container_name must be 1-255 letters, digits, hyphens and underscores, starting with a letter or digit."
  }
}

variable "container_port" {
  type        = number
  description = "TCP port the container listens on."
  default     = 4000

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535 && var.container_port == floor(var.container_port)
    error_message = "container_port must be a whole number from 1 to 65535."
  }
}

variable "cpu" {
  type        = number
  description = "Task CPU units (256 = 0.25 vCPU); with memory, one of Fargate's allowed combinations."
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be one of Fargate's CPU values: 256, 512, 1024, 2048, 4096, 8192, 16384."
  }
}

variable "memory" {
  type        = number
  description = "Task memory in MiB; with cpu, one of Fargate's allowed combinations."
  default     = 512

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880 && var.memory == floor(var.memory)
    error_message = "memory must be a whole number of MiB from 512 to 122880 that Fargate accepts for the chosen cpu."
  }
}

variable "cpu_architecture" {
  type        = string
  description = "CPU architecture of the image: X86_64 or ARM64."
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "environment_variables" {
  type        = map(string)
  description = "Plain environment variables of the container (name => value); never put secrets here."
  default     = {}
}

variable "secrets" {
  type        = map(string)
  description = "Secrets injected as environment variables (name => SSM parameter or Secrets Manager ARN); the execution role may read exactly these."
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.secrets) : can(regex("^arn:[a-z-]+:(ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+|secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)$", arn))])
    error_message = "secrets values must be SSM parameter ARNs (arn:...:ssm:REGION:ACCOUNT:parameter/...) or Secrets Manager secret ARNs (arn:...:secretsmanager:REGION:ACCOUNT:secret:...)."
  }
}

variable "secrets_kms_key_arns" {
  type        = list(string)
  description = "Customer managed KMS key ARNs that encrypt the secrets; the execution role may decrypt with exactly these."
  default     = []
}

variable "container_health_check" {
  type = object({
    command      = list(string)
    interval     = optional(number, 30)
    timeout      = optional(number, 5)
    retries      = optional(number, 3)
    start_period = optional(number, 0)
  })
  description = "Optional container health check (Docker HEALTHCHECK semantics); null disables it."
  default     = null
}

variable "readonly_root_filesystem" {
  type        = bool
  description = "Mount the container's root filesystem read-only."
  default     = true
}

variable "task_role_policy_arns" {
  type        = map(string)
  description = "IAM policies attached to the application's task role (label => policy ARN); none by default."
  default     = {}
}

variable "vpc_id" {
  type        = string
  description = "VPC of the subnets; holds the service security group."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets the tasks run in (at least two, in different Availability Zones)."

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least two subnets (in different Availability Zones)."
  }
}

variable "assign_public_ip" {
  type        = bool
  description = "Give tasks a public IP; needed in subnets without a NAT gateway (such as the default VPC's) to pull images."
  default     = false
}

variable "egress_https_cidr_blocks" {
  type        = list(string)
  description = "IPv4 CIDR blocks the tasks may reach on TCP 443 (AWS APIs: ECR, CloudWatch Logs, secret stores)."
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for cidr in var.egress_https_cidr_blocks : can(cidrnetmask(cidr))])
    error_message = "egress_https_cidr_blocks must hold IPv4 CIDR blocks such as 0.0.0.0/0."
  }
}

variable "load_balancer_security_group_id" {
  type        = string
  description = "Security group of the load balancer; the only source allowed to reach the container port."
}

variable "target_group_arn" {
  type        = string
  description = "Target group (type ip) the service registers its tasks in."
}

variable "desired_count" {
  type        = number
  description = "Number of tasks at creation; afterwards autoscaling owns it and Terraform ignores changes."
  default     = 2

  validation {
    condition     = var.desired_count >= 0 && var.desired_count == floor(var.desired_count)
    error_message = "desired_count must be a whole number of at least 0."
  }
}

variable "health_check_grace_period_seconds" {
  type        = number
  description = "Seconds ECS ignores load balancer health checks after a task starts."
  default     = 30

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 2147483647
    error_message = "health_check_grace_period_seconds must be from 0 to 2147483647."
  }
}

variable "deployment_alarms_enabled" {
  type        = bool
  description = "Watch deployment_alarm_names during every deployment and roll the deployment back when one of them fires."
  default     = false
}

variable "deployment_alarm_names" {
  type        = list(string)
  description = "CloudWatch alarms that mean the revision being deployed is bad (e.g. the 5xx rate alarms); used when deployment_alarms_enabled."
  default     = []

  validation {
    condition     = alltrue([for name in var.deployment_alarm_names : length(name) >= 1 && length(name) <= 255])
    error_message = "deployment_alarm_names must hold CloudWatch alarm names of 1-255 characters, e.g. [\"lms-prod-backend-target-5xx-rate\"]."
  }
}

variable "enable_execute_command" {
  type        = bool
  description = "Allow ECS Exec (interactive shells in running tasks); grants the task role the SSM messages channel permissions it needs."
  default     = false
}
