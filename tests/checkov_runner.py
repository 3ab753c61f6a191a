"""Test helper: run checkov on the Terraform code and on live roots' plan JSON; summarise it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lmsops.errors import UserError


@dataclass
class Report:
    passed: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    skip_reasons: list[str] = field(default_factory=list)


def checkov_bin() -> str:
    beside_python = Path(sys.executable).parent / "checkov"
    found = str(beside_python) if beside_python.exists() else shutil.which("checkov")
    if not found:
        raise UserError("checkov is not installed; run `make test` or install the test extras")
    return found


def run_checkov(args: list[str], cwd: Path) -> Report:
    cmd = [checkov_bin(), "--output", "json", "--skip-download", *args]
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        raise RuntimeError(f"checkov did not run: {proc.stderr[-2000:]}")
    return summarise(json_documents(proc.stdout))


def json_documents(text: str) -> list:
    """checkov prints one JSON document per scanned directory, back to back."""
    decoder = json.JSONDecoder()
    docs, pos = [], 0
    text = text.strip()
    while pos < len(text):
        doc, end = decoder.raw_decode(text, pos)
        docs.extend(doc if isinstance(doc, list) else [doc])
        pos = end
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return docs


def summarise(sections: list[dict]) -> Report:
    report = Report()
    for section in sections:
        results = section.get("results", {})
        report.passed += len(results.get("passed_checks", []))
        for check in results.get("failed_checks", []):
            where = f"{check.get('file_path')}:{check.get('resource')}"
            report.failed.append(f"{check['check_id']} {where} {check.get('check_name', '')}")
        for check in results.get("skipped_checks", []):
            report.skipped += 1
            reason = (check.get("check_result") or {}).get("suppress_comment", "")
            report.skip_reasons.append(f"{check['check_id']} {check.get('resource')}: {reason}")
    return report
