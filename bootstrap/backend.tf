# Bootstrap creates the remote state, so its own state is local. Choose where the
# file lives with `terraform init -backend-config=path=PATH` and keep it safe (it
# is the only record of the state bucket, lock table and hosted zones).
terraform {
  backend "local" {}
}
