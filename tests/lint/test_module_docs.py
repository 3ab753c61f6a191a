"""Each module README's generated regions are what tools/tfdoc.py makes of the code.

The tool renders the inputs/outputs tables (types, defaults, required, sensitive) and
each example root's main.tf; these tests are its `--check` per module, a proof that
the check notices drift, and a check that every example the READMEs show is planned.
"""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from lmsops import roots

REPO = roots.REPO_ROOT
MODULES = roots.module_dirs()
EXAMPLES = roots.example_roots()


def _load_tfdoc():
    spec = importlib.util.spec_from_file_location("tfdoc", REPO / "tools" / "tfdoc.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


tfdoc = _load_tfdoc()

VARIABLES = """\
variable "name" {
  type        = string
  description = "Name of the thing; say \\"hi\\"."
}

variable "health_check" {
  type = object({
    path     = optional(string, "/health") # where to probe
    interval = optional(number, 15)
  })
  description = "Health check | settings."
  default     = {}

  validation {
    condition     = startswith(var.health_check.path, "/")
    error_message = "health_check path must start with /."
  }
}

variable "ports" {
  type = list(number)
  default = [
    80,
    443,
  ]
  description = "Ports."
}
"""

OUTPUTS = """\
output "url" {
  description = "URL of the thing."
  value       = "https://${var.name}"
}

output "token" {
  description = "A secret."
  value       = var.name
  sensitive   = true
}
"""

EXAMPLE_MAIN = 'module "thing" {\n  source = "../.."\n\n  name = "x"\n}\n'


@pytest.fixture
def module(tmp_path) -> Path:
    (tmp_path / "variables.tf").write_text(VARIABLES)
    (tmp_path / "outputs.tf").write_text(OUTPUTS)
    (tmp_path / "examples" / "basic").mkdir(parents=True)
    (tmp_path / "examples" / "basic" / "main.tf").write_text(EXAMPLE_MAIN)
    (tmp_path / "README.md").write_text("# thing\n\nProse the tool keeps.\n")
    return tmp_path


def generated(module: Path) -> str:
    return tfdoc.generate(module, (module / "README.md").read_text())


def input_row(readme: str, name: str) -> str:
    (row,) = [line for line in readme.splitlines() if line.startswith(f"| `{name}` |")]
    return row


def test_every_module_has_a_readme_and_an_example():
    assert MODULES, "no modules found"
    for path in MODULES:
        assert (path / "README.md").is_file(), f"{path.name} has no README.md"
        assert list(path.glob("examples/*/main.tf")), f"{path.name} has no examples/"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_readme_is_what_tfdoc_generates(path):
    readme = (path / "README.md").read_text()
    fix = f"python tools/tfdoc.py {path.relative_to(REPO).as_posix()}"
    assert tfdoc.BEGIN in readme, f"no generated tables; run `{fix}`"
    assert tfdoc.generate(path, readme) == readme, f"README differs from the code; run `{fix}`"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.relative_to(REPO / "modules"))
def test_every_readme_example_is_planned_by_the_unit_tier(example):
    """The READMEs show examples/*/main.tf as runnable roots; a unit test must plan each."""
    wanted = example.relative_to(REPO).as_posix()
    planners = [
        test.name
        for test in sorted((REPO / "tests" / "unit").glob("test_*.py"))
        if f'"{wanted}"' in (text := test.read_text()) and re.search(r"\bplan\(", text)
    ]
    assert planners, f"no tests/unit file plans {wanted}"


def test_inputs_table_renders_types_defaults_and_required(module):
    readme = generated(module)
    assert input_row(readme, "name") == (
        '| `name` | Name of the thing; say "hi". | `string` | n/a | yes |'
    )
    assert input_row(readme, "health_check") == (
        "| `health_check` | Health check \\| settings. "
        '| `object({ path = optional(string, "/health"), interval = optional(number, 15) })` '
        "| `{}` | no |"
    )
    assert input_row(readme, "ports") == "| `ports` | Ports. | `list(number)` | `[80, 443]` | no |"


def test_outputs_table_says_which_outputs_are_sensitive(module):
    readme = generated(module)
    assert "| `url` | URL of the thing. | no |" in readme
    assert "| `token` | A secret. | yes |" in readme


def test_a_type_change_changes_the_readme(module):
    before = generated(module)
    changed = VARIABLES.replace("type = list(number)", "type = set(number)")
    (module / "variables.tf").write_text(changed)
    after = generated(module)
    assert after != before
    assert "`set(number)`" in input_row(after, "ports")


def test_a_default_change_changes_the_readme(module):
    before = generated(module)
    (module / "variables.tf").write_text(VARIABLES.replace("    443,\n", "    8443,\n"))
    after = generated(module)
    assert after != before
    assert "`[80, 8443]`" in input_row(after, "ports")


def test_a_new_default_makes_an_input_optional(module):
    (module / "variables.tf").write_text(
        VARIABLES.replace("  type        = string\n", '  type        = string\n  default = "a"\n')
    )
    assert input_row(generated(module), "name").endswith('| `"a"` | no |')


def test_the_example_is_main_tf_verbatim_and_prose_is_kept(module):
    readme = generated(module)
    assert readme.startswith("# thing\n\nProse the tool keeps.\n")
    assert "<!-- BEGIN_EXAMPLE examples/basic -->\n" in readme
    assert f"```hcl\n{EXAMPLE_MAIN}```\n<!-- END_EXAMPLE -->" in readme
    assert tfdoc.generate(module, readme) == readme, "a second run must change nothing"


def test_an_example_root_that_is_gone_leaves_the_readme(module):
    (module / "examples" / "extra").mkdir()
    (module / "examples" / "extra" / "main.tf").write_text("# extra\n")
    with_extra = generated(module)
    assert "<!-- BEGIN_EXAMPLE examples/extra -->" in with_extra
    (module / "examples" / "extra" / "main.tf").unlink()
    assert "examples/extra" not in tfdoc.generate(module, with_extra)


def test_hand_written_tables_are_replaced_in_place(module):
    (module / "README.md").write_text(
        "# thing\n\n## Inputs\n\n| old |\n\n## Outputs\n\n| old |\n\n## Notes\n\nKept.\n"
    )
    readme = generated(module)
    assert "| old |" not in readme
    assert readme.index(tfdoc.END) < readme.index("## Notes\n\nKept.")


def test_check_exits_1_naming_the_fix_then_0_once_written(module, capsys):
    assert tfdoc.main(["--check", str(module)]) == 1
    assert f"fix: python tools/tfdoc.py {module}" in capsys.readouterr().err
    assert tfdoc.main([str(module)]) == 0
    assert tfdoc.main(["--check", str(module)]) == 0


def test_cli_errors_exit_2_without_traceback(tmp_path, capsys):
    assert tfdoc.main([str(tmp_path / "missing")]) == 2
    (tmp_path / "broken.tf").write_text('variable "x" {\n')
    assert tfdoc.main(["--check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "missing: no such module folder" in err
    assert "broken.tf: not parseable HCL" in err
    assert "Traceback" not in err
