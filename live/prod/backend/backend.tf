terraform {
  backend "s3" {
    key = "prod/backend/terraform.tfstate"
  }
}
