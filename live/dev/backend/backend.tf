terraform {
  backend "s3" {
    key = "dev/backend/terraform.tfstate"
  }
}
