terraform {
  backend "s3" {
    key = "dev/frontend/terraform.tfstate"
  }
}
