# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app onderwijsplatform
STAMP := $(VENV)/.installed-stamp
PO := $(wildcard onderwijsplatform/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

LOCK := requirements.lock
EXTRAS := dev postgres redis

.PHONY: run test test-fast install lock lock-check lint typecheck format translations-extract benchmarks

# Every package comes from the lock at its pinned version; the project itself goes in
# without dependencies on top. Re-runs whenever pyproject.toml or the lock changes.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

install: $(STAMP) $(MO)

# Links in emails and on the console point at the port `make run` serves on.
RUN_ENV := FLASK_DEBUG=1 FLASK_PUBLIC_URL=$${FLASK_PUBLIC_URL:-http://127.0.0.1:$${FLASK_RUN_PORT:-5000}}

run: install
	$(RUN_ENV) $(FLASK) db upgrade
	$(RUN_ENV) $(FLASK) seed-demo --if-empty
	$(RUN_ENV) $(FLASK) run --debug

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# The inner loop: leaves out the browser, PostgreSQL-only and slow tests (markers in
# pyproject.toml), whatever the environment says. `make test` still runs them all.
test-fast: install
	$(BIN)/pytest -m "not browser and not postgres_only and not slow" $(PYTEST_ARGS)

# Regenerate the lock from pyproject.toml (all extras). Pins already in the lock are kept
# unless pyproject.toml rules them out; `make lock UPGRADE=1` moves everything to the newest.
# It needs only pip-tools, not an install that matches the lock.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras \
	--allow-unsafe --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
	$(addprefix --extra ,$(EXTRAS)) pyproject.toml

$(BIN)/pip-compile:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$$(grep -i '^pip-tools==' $(LOCK) || echo pip-tools)"

lock: $(BIN)/pip-compile
	$(PIP_COMPILE) $(if $(UPGRADE),--upgrade) --output-file $(LOCK)

# Fails when pyproject.toml asks for something the lock does not pin (run `make lock`).
lock-check: $(BIN)/pip-compile
	cp $(LOCK) $(VENV)/lock-check.txt
	$(PIP_COMPILE) --output-file $(VENV)/lock-check.txt
	diff -u $(LOCK) $(VENV)/lock-check.txt

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Files and strictness per package: [tool.mypy] in pyproject.toml.
typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

translations-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o onderwijsplatform/translations/messages.pot .
	$(BIN)/pybabel update -i onderwijsplatform/translations/messages.pot -d onderwijsplatform/translations --no-fuzzy-matching
