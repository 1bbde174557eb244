# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app onderwijsplatform
STAMP := $(VENV)/.installed-stamp
PO := $(wildcard onderwijsplatform/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run test install lint format translations-extract benchmarks

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres,redis]"
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

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

translations-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o onderwijsplatform/translations/messages.pot .
	$(BIN)/pybabel update -i onderwijsplatform/translations/messages.pot -d onderwijsplatform/translations --no-fuzzy-matching
