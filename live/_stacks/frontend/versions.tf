# A root pins (~>): no new major Terraform or provider version reaches it unreviewed. Modules
# only state minimums (>=), so whichever root uses them chooses the version.
terraform {
  required_version = "~> 1.5, >= 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
