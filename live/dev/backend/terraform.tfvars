region      = "us-east-1"
environment = "dev"
zone_name   = "acme-lms.com"
domain_name = "api.dev.acme-lms.com"

# The first apply points the service at this tag; the deploy command pushes real images
# and registers new task definition revisions (Terraform leaves those alone).
image_tag = "bootstrap"

cpu            = 256
memory         = 512
container_port = 4000
environment_variables = {
  NODE_ENV = "production"
  PORT     = "4000"
}
secrets = {}

log_retention_days = 14
ecr_force_delete   = true
assign_public_ip   = true

deletion_protection = false

# Rolling deploy worst case: 10 s x 2 + 30 s + 30 s = 80 s (must stay under 90 s).
deregistration_delay = 30
health_check = {
  path                = "/health"
  matcher             = "200"
  interval            = 10
  timeout             = 5
  healthy_threshold   = 2
  unhealthy_threshold = 3
}
health_check_grace_period_seconds = 30

min_capacity               = 1
max_capacity               = 3
request_count_target_value = 500
cpu_target_value           = null
scale_in_cooldown          = 300
scale_out_cooldown         = 60

# --- Production readiness: accounts, alarms, hardening -----------------------------------
# Single-account default: any account. In a multi-account layout name the dev account here
# (and the role to assume in it); an apply with other credentials then stops at once.
allowed_account_ids = []
assume_role_arn     = null

# Alarms notify an encrypted SNS topic; add addresses to get emails (each confirms once).
alarm_emails = []
alarms = {
  evaluation_periods                     = 3
  tasks_below_desired_evaluation_periods = 10
  elb_5xx_rate_percent                   = 10
  target_5xx_rate_percent                = 10
  response_time_statistic                = "p95"
  response_time_threshold_seconds        = 2
  cpu_utilization_percent                = 90
  memory_utilization_percent             = 90
}
deployment_alarms_enabled = true

enable_execute_command        = false
allow_execute_command_in_prod = false

waf_enabled    = false
waf_rate_limit = 2000

# Off in dev: the bucket's lifecycle configuration costs about a minute per apply.
access_logs_enabled         = false
access_logs_expiration_days = 30
