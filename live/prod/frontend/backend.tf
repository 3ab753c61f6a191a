terraform {
  backend "s3" {
    key = "prod/frontend/terraform.tfstate"
  }
}
