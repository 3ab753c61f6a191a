# The two commands of the README: `make up` and `make test`. Each installs what it needs.
PYTHON ?= python3
TOX_VENV := .venv-tox
TOX := $(TOX_VENV)/bin/tox
MODULES := $(sort $(patsubst %/versions.tf,%,$(wildcard modules/*/versions.tf)))

.PHONY: up down test lint unit policy integration bench fmt docs

$(TOX): requirements/tox.txt
	$(PYTHON) -m venv $(TOX_VENV)
	$(TOX_VENV)/bin/pip install --quiet -r requirements/tox.txt
	touch $(TOX)

up: $(TOX)  ## start the emulator, bootstrap, apply live/dev, print endpoints (ARGS=--verbose)
	$(TOX) -e up $(if $(ARGS),-- --env dev $(ARGS))

down:  ## stop the emulator started by `make up`; everything applied to it is discarded
	.tox/up/bin/lmsops emulator stop

test: $(TOX)  ## every tier: lint, unit, policy, integration
	$(TOX)

lint unit policy integration bench: $(TOX)
	$(TOX) -e $@

fmt:
	terraform fmt -recursive

docs: $(TOX)  ## regenerate every module README's inputs/outputs tables and examples from the code
	$(TOX) run -e lint --notest  # `tox exec` alone skips the package and its extras
	$(TOX) exec -e lint -- python tools/tfdoc.py $(MODULES)
