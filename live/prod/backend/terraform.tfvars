region      = "us-east-1"
environment = "prod"
zone_name   = "acme-lms.com"
domain_name = "api.acme-lms.com"

# The first apply points the service at this tag; the deploy command pushes real images
# and registers new task definition revisions (Terraform leaves those alone).
image_tag = "bootstrap"

cpu            = 512
memory         = 1024
container_port = 4000
environment_variables = {
  NODE_ENV = "production"
  PORT     = "4000"
}
secrets = {}

log_retention_days = 365
ecr_force_delete   = false
assign_public_ip   = true

deletion_protection = true

# Rolling deploy worst case: 10 s x 3 + 30 s + 45 s = 105 s (must stay under 120 s).
deregistration_delay = 30
health_check = {
  path                = "/health"
  matcher             = "200"
  interval            = 10
  timeout             = 5
  healthy_threshold   = 3
  unhealthy_threshold = 3
}
health_check_grace_period_seconds = 45

min_capacity               = 2
max_capacity               = 10
request_count_target_value = 1000
cpu_target_value           = 70
scale_in_cooldown          = 300
scale_out_cooldown         = 60

# --- Production readiness: accounts, alarms, hardening -----------------------------------
# Single-account default: any account. In a multi-account layout name the prod account here
# (and the role to assume in it); a prod apply with dev credentials then stops at once.
allowed_account_ids = []
assume_role_arn     = null

# Alarms notify an encrypted SNS topic; add the on-call addresses (each confirms once).
alarm_emails = []
alarms = {
  evaluation_periods                     = 3
  tasks_below_desired_evaluation_periods = 10
  elb_5xx_rate_percent                   = 2
  target_5xx_rate_percent                = 2
  response_time_statistic                = "p99"
  response_time_threshold_seconds        = 1
  cpu_utilization_percent                = 85
  memory_utilization_percent             = 85
}
deployment_alarms_enabled = true

# ECS Exec stays off in prod; turning it on also needs allow_execute_command_in_prod.
enable_execute_command        = false
allow_execute_command_in_prod = false

waf_enabled    = true
waf_rate_limit = 2000

access_logs_enabled         = true
access_logs_expiration_days = 90
