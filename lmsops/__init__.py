"""Operate the LMS AWS platform: emulator, Terraform roots, smoke checks, publish, deploy."""

__version__ = "0.1.0"
