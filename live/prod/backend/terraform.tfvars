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
