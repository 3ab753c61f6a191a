variable "name" {
  type        = string
  description = "Name of the service; also names the ECR repository, task family, roles and security group."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.name)) && !endswith(var.name, "-")
    error_message = "name must be 1-32 characters: lower case letters, digits and hyphens, starting with a letter and not ending with a hyphen, e.g. lms-prod-backend."
  }
}

variable "environment" {
  type        = string
  description = "Environment name (e.g. dev, prod); part of the log group name so two environments never share logs."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.environment))
    error_message = "environment must be 1-16 characters: lower case letters, digits and hyphens, starting with a letter, e.g. prod."
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

variable "image_tag_mutability" {
  type        = string
  description = "Tag mutability of the ECR repository: IMMUTABLE (a tag always names the same image) or MUTABLE."
  default     = "IMMUTABLE"

  validation {
    condition     = contains(["IMMUTABLE", "MUTABLE"], var.image_tag_mutability)
    error_message = "image_tag_mutability must be IMMUTABLE or MUTABLE, e.g. IMMUTABLE."
  }
}

variable "ecr_keep_tagged_images" {
  type        = number
  description = "Number of most recent tagged images the ECR lifecycle policy keeps; older tagged images expire."
  default     = 30

  validation {
    condition     = var.ecr_keep_tagged_images >= 1 && var.ecr_keep_tagged_images <= 10000 && var.ecr_keep_tagged_images == floor(var.ecr_keep_tagged_images)
    error_message = "ecr_keep_tagged_images must be a whole number from 1 to 10000 (ECR's images-per-repository quota), e.g. 30."
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

  validation {
    condition     = var.ecr_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]+$", var.ecr_kms_key_arn))
    error_message = "ecr_kms_key_arn must be null or a KMS key ARN (not an alias nor a key ID), e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Days CloudWatch keeps the container logs; one of the values CloudWatch Logs accepts."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, e.g. 30."
  }
}

variable "log_kms_key_arn" {
  type        = string
  description = "KMS key ARN that encrypts the log group; null keeps CloudWatch Logs' default encryption."
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be null or a KMS key ARN (CloudWatch Logs accepts no alias), e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

variable "image" {
  type        = string
  description = "Full image reference for the first task definition; null uses the module's ECR repository with image_tag."
  default     = null

  validation {
    condition     = var.image == null ? true : length(var.image) <= 255 && can(regex("^([A-Za-z0-9-]+((\\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?|:[0-9]{1,5})/)?[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$", var.image))
    error_message = "image must be null or an image reference of at most 255 characters: an optional registry host, a lower-case repository path, then :TAG and/or @sha256:DIGEST, no spaces, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:1.4.2."
  }
}

variable "image_tag" {
  type        = string
  description = "Image tag in the module's ECR repository for the first task definition (deploys register later revisions)."
  default     = "latest"

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid Docker tag: up to 128 letters, digits, underscores, periods and hyphens, not starting with a period or hyphen, e.g. 1.4.2."
  }
}

variable "container_name" {
  type        = string
  description = "Name of the application container in the task definition."
  default     = "app"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$", var.container_name))
    error_message = "container_name must be 1-255 letters, digits, hyphens and underscores, starting with a letter or digit, e.g. app."
  }
}

variable "container_port" {
  type        = number
  description = "TCP port the container listens on."
  default     = 4000

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535 && var.container_port == floor(var.container_port)
    error_message = "container_port must be a whole number from 1 to 65535, e.g. 4000."
  }
}

variable "cpu" {
  type        = number
  description = "Task CPU units (256 = 0.25 vCPU); with memory, one of Fargate's allowed combinations."
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be one of Fargate's CPU values: 256, 512, 1024, 2048, 4096, 8192, 16384, e.g. 256."
  }
}

variable "memory" {
  type        = number
  description = "Task memory in MiB; with cpu, one of Fargate's allowed combinations."
  default     = 512

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880 && var.memory == floor(var.memory)
    error_message = "memory must be a whole number of MiB from 512 to 122880 that Fargate accepts for the chosen cpu, e.g. 512 with cpu 256."
  }
}

variable "cpu_architecture" {
  type        = string
  description = "CPU architecture of the image: X86_64 or ARM64."
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64, e.g. X86_64."
  }
}

variable "environment_variables" {
  type        = map(string)
  description = "Plain environment variables of the container (name => value); never put secrets here."
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.environment_variables) : can(regex("^[A-Za-z_][A-Za-z0-9_]{0,254}$", name))])
    error_message = "environment_variables names must be 1-255 letters, digits and underscores, not starting with a digit, e.g. { NODE_ENV = \"production\" }."
  }
}

variable "secrets" {
  type        = map(string)
  description = "Secrets injected as environment variables (name => SSM parameter or Secrets Manager ARN); the execution role may read exactly these."
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.secrets) : can(regex("^arn:[a-z-]+:(ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+|secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)$", arn))])
    error_message = "secrets values must be SSM parameter ARNs (arn:...:ssm:REGION:ACCOUNT:parameter/...) or Secrets Manager secret ARNs (arn:...:secretsmanager:REGION:ACCOUNT:secret:...), e.g. arn:aws:ssm:us-east-1:111122223333:parameter/lms/db-url."
  }

  validation {
    condition     = alltrue([for name in keys(var.secrets) : can(regex("^[A-Za-z_][A-Za-z0-9_]{0,254}$", name))])
    error_message = "secrets names must be 1-255 letters, digits and underscores, not starting with a digit, e.g. { DATABASE_URL = \"arn:aws:ssm:us-east-1:111122223333:parameter/lms/db-url\" }."
  }
}

variable "secrets_kms_key_arns" {
  type        = list(string)
  description = "Customer managed KMS key ARNs that encrypt the secrets; the execution role may decrypt with exactly these."
  default     = []

  validation {
    condition     = alltrue([for arn in var.secrets_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]+$", arn))])
    error_message = "secrets_kms_key_arns must hold KMS key ARNs (IAM grants kms:Decrypt on key ARNs, not aliases), e.g. [\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]."
  }
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

  validation {
    condition     = var.container_health_check == null ? true : length(var.container_health_check.command) >= 2 && contains(["CMD", "CMD-SHELL"], var.container_health_check.command[0])
    error_message = "container_health_check command must be CMD or CMD-SHELL followed by the command, e.g. [\"CMD-SHELL\", \"curl -f http://localhost:4000/health || exit 1\"]."
  }

  validation {
    condition     = var.container_health_check == null ? true : var.container_health_check.interval >= 5 && var.container_health_check.interval <= 300 && var.container_health_check.interval == floor(var.container_health_check.interval)
    error_message = "container_health_check interval must be a whole number of seconds from 5 to 300 (what ECS accepts), e.g. 30."
  }

  validation {
    condition     = var.container_health_check == null ? true : var.container_health_check.timeout >= 2 && var.container_health_check.timeout <= 120 && var.container_health_check.timeout == floor(var.container_health_check.timeout)
    error_message = "container_health_check timeout must be a whole number of seconds from 2 to 120 (what ECS accepts), e.g. 5."
  }

  validation {
    condition     = var.container_health_check == null ? true : var.container_health_check.retries >= 1 && var.container_health_check.retries <= 10 && var.container_health_check.retries == floor(var.container_health_check.retries)
    error_message = "container_health_check retries must be a whole number from 1 to 10 (what ECS accepts), e.g. 3."
  }

  validation {
    condition     = var.container_health_check == null ? true : var.container_health_check.start_period >= 0 && var.container_health_check.start_period <= 300 && var.container_health_check.start_period == floor(var.container_health_check.start_period)
    error_message = "container_health_check start_period must be a whole number of seconds from 0 to 300 (what ECS accepts), e.g. 10."
  }
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

  validation {
    condition     = alltrue([for arn in values(var.task_role_policy_arns) : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/[A-Za-z0-9+=,.@_/-]+$", arn))])
    error_message = "task_role_policy_arns values must be IAM policy ARNs, not policy names, e.g. { read_assets = \"arn:aws:iam::111122223333:policy/lms-read-assets\" }."
  }

  validation {
    condition     = length(var.task_role_policy_arns) <= 20
    error_message = "task_role_policy_arns must hold at most 20 policies (IAM's limit of managed policies per role), e.g. { read_assets = \"arn:aws:iam::111122223333:policy/lms-read-assets\" }."
  }
}

variable "cluster_arn" {
  type        = string
  description = "ARN of the ECS cluster the service runs in (modules/ecs-cluster arn output); several services may share one cluster."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecs:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255}$", var.cluster_arn))
    error_message = "cluster_arn must be an ECS cluster ARN (not its name), e.g. arn:aws:ecs:us-east-1:111122223333:cluster/lms-prod-backend."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the subnets; holds the service security group."

  validation {
    condition     = can(regex("^vpc-([0-9a-f]{8}|[0-9a-f]{17})$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets the tasks run in (at least two, in different Availability Zones)."

  validation {
    condition     = length(var.subnet_ids) >= 2 && length(var.subnet_ids) <= 16
    error_message = "subnet_ids must list at least two subnets (in different Availability Zones) and at most 16 (the ECS limit), e.g. [\"subnet-0aaaaaaaaaaaaaaaa\", \"subnet-0bbbbbbbbbbbbbbbb\"]."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", id))])
    error_message = "subnet_ids must hold subnet IDs such as subnet-0123456789abcdef0."
  }

  validation {
    condition     = length(distinct(var.subnet_ids)) == length(var.subnet_ids)
    error_message = "subnet_ids must not list the same subnet twice, e.g. [\"subnet-0aaaaaaaaaaaaaaaa\", \"subnet-0bbbbbbbbbbbbbbbb\"]."
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
    condition     = length(var.egress_https_cidr_blocks) >= 1 && alltrue([for cidr in var.egress_https_cidr_blocks : can(cidrnetmask(cidr)) && try(cidrsubnet(cidr, 0, 0) == cidr, false)])
    error_message = "egress_https_cidr_blocks must hold at least one IPv4 network in CIDR notation with no host bits set (tasks pull images over HTTPS), e.g. [\"0.0.0.0/0\"] or [\"10.0.0.0/16\"], not 10.0.0.1/16."
  }
}

variable "load_balancer_security_group_id" {
  type        = string
  description = "Security group of the load balancer; the only source allowed to reach the container port."

  validation {
    condition     = can(regex("^sg-([0-9a-f]{8}|[0-9a-f]{17})$", var.load_balancer_security_group_id))
    error_message = "load_balancer_security_group_id must be a security group ID such as sg-0123456789abcdef0."
  }
}

variable "target_group_arn" {
  type        = string
  description = "Target group (type ip) the service registers its tasks in."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+$", var.target_group_arn))
    error_message = "target_group_arn must be a target group ARN, e.g. arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/lms-api/0123456789abcdef."
  }
}

variable "desired_count" {
  type        = number
  description = "Number of tasks at creation; afterwards autoscaling owns it and Terraform ignores changes."
  default     = 2

  validation {
    condition     = var.desired_count >= 0 && var.desired_count <= 5000 && var.desired_count == floor(var.desired_count)
    error_message = "desired_count must be a whole number of tasks from 0 to 5000 (the ECS tasks-per-service quota), e.g. 2."
  }
}

variable "health_check_grace_period_seconds" {
  type        = number
  description = "Seconds ECS ignores load balancer health checks after a task starts."
  default     = 30

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 2147483647 && var.health_check_grace_period_seconds == floor(var.health_check_grace_period_seconds)
    error_message = "health_check_grace_period_seconds must be a whole number of seconds from 0 to 2147483647, e.g. 30."
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
