"""Each module README's inputs/outputs tables say exactly what the code declares."""

import pytest
import readme_tables as docs

from lmsops import roots

MODULES = roots.module_dirs()


def test_every_module_has_a_readme_and_an_example():
    assert MODULES, "no modules found"
    for module in MODULES:
        assert (module / "README.md").is_file(), f"{module.name} has no README.md"
        assert list(module.glob("examples/*/main.tf")), f"{module.name} has no examples/"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_inputs_table_matches_variables(module):
    readme = (module / "README.md").read_text()
    assert docs.readme_inputs(readme) == docs.code_variables(module)


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_outputs_table_matches_outputs(module):
    readme = (module / "README.md").read_text()
    assert docs.readme_outputs(readme) == docs.code_outputs(module)


def test_table_parser_notices_drift():
    readme = (
        "## Inputs\n\n| Name | Description | Type | Default | Required |\n"
        "|--|--|--|--|:--:|\n| `name` | Old text. | `string` | n/a | yes |\n"
    )
    assert docs.readme_inputs(readme) == [docs.Documented("name", "Old text.", True)]
    assert docs.readme_inputs(readme) != [docs.Documented("name", "New text.", True)]
