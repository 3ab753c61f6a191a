"""Issue 12, point 1: the emulator never touches what belongs to real AWS.

A repository holding a real-AWS bootstrap state, `.terraform/` folders and a
backend config file (what the README's real-AWS steps create) still gets a
working emulator checkout; those files are neither copied nor changed.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from lmsops import environment, roots

REPO = Path(__file__).resolve().parents[2]
# What `terraform apply` in bootstrap/ against real AWS leaves: a state with resources (an
# empty one would not make Terraform offer to migrate it, and would prove nothing).
REAL_STATE = json.dumps(
    {
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 7,
        "lineage": "0b5c1d52-8d2a-4f5e-9a0e-3c6f1f7a2b11",
        "outputs": {},
        "resources": [
            {
                "mode": "managed",
                "type": "aws_route53_zone",
                "name": "public",
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": [
                    {
                        "index_key": "acme-lms.com",
                        "schema_version": 0,
                        "attributes": {"id": "Z0REALAWSZONE", "name": "acme-lms.com"},
                    }
                ],
            }
        ],
    }
)


def fresh_repository(dest: Path) -> Path:
    """The repository's tracked files, as a fresh clone would have them."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--", *roots.CHECKOUT_TOP_DIRS],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        rel = name.decode()
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        source = REPO / rel
        if source.is_symlink():
            target.symlink_to(source.readlink())
        else:
            target.write_bytes(source.read_bytes())
    return dest


def plant_real_aws_work(repo: Path) -> dict[Path, bytes]:
    planted = {
        repo / "bootstrap" / "terraform.tfstate": REAL_STATE.encode(),
        repo / "bootstrap" / ".terraform" / "terraform.tfstate": b'{"backend": "real"}\n',
        repo / "backend.s3.tfbackend": b'bucket = "real-aws-state"\n',
        repo / "live" / "dev" / "frontend" / ".terraform" / "terraform.tfstate": b"real\n",
    }
    for path, content in planted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return planted


def test_checkout_ignores_and_keeps_a_users_real_aws_files(tmp_path):
    repo = fresh_repository(tmp_path / "repo")
    planted = plant_real_aws_work(repo)
    checkout = roots.sync_checkout(tmp_path / "checkout", source=repo)
    # `terraform init` as `lmsops up` runs it: with the real state beside it, Terraform
    # used to stop with "Can't ask approval for state migration".
    root = roots.Root(checkout / "bootstrap")
    root.init(reconfigure=False)
    assert not (checkout / "bootstrap" / "terraform.tfstate").exists()
    assert not (checkout / environment.BACKEND_CONFIG_NAME).exists()
    assert not (checkout / "live" / "dev" / "frontend" / ".terraform").exists()
    assert {path: path.read_bytes() for path in planted} == planted


def test_resync_follows_the_repository_but_keeps_the_checkouts_own_state(tmp_path):
    repo = fresh_repository(tmp_path / "repo")
    checkout = roots.sync_checkout(tmp_path / "checkout", source=repo)
    own_state = checkout / "bootstrap" / "terraform.tfstate"
    own_state.write_text(REAL_STATE)
    own_data = checkout / "live" / "dev" / "backend" / ".terraform" / "terraform.tfstate"
    own_data.parent.mkdir(parents=True)
    own_data.write_text("{}")
    (repo / "modules" / "s3-website" / "README.md").unlink()
    (repo / "site" / "new.html").write_text("<p>new</p>")
    roots.sync_checkout(checkout, source=repo)
    assert not (checkout / "modules" / "s3-website" / "README.md").exists()
    assert (checkout / "site" / "new.html").read_text() == "<p>new</p>"
    assert own_state.read_text() == REAL_STATE
    assert own_data.read_text() == "{}"
