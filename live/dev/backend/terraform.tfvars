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
