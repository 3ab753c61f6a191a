# The ECS cluster left modules/ecs-service for modules/ecs-cluster. A move across module
# calls can only be declared here, in the root that holds both: existing states keep
# their cluster (and the service in it) instead of replacing them.
moved {
  from = module.service.aws_ecs_cluster.this
  to   = module.cluster.aws_ecs_cluster.this
}
