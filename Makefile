# civstat — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UVENV  := build/uv
UV     := $(shell command -v uv 2>/dev/null || echo $(UVENV)/bin/uv)
DEMO   := build/demo
PERIOD ?= 2025H1
# No telemetry from the tools make starts; civstat sets the rest (orchestration/settings.py).
export DO_NOT_TRACK=1
export UV_PYTHON_DOWNLOADS=never

.PHONY: setup demo test test-e2e test-all lint clean

$(UVENV)/bin/uv:
	$(PYTHON) -m venv $(UVENV)
	$(UVENV)/bin/pip install --quiet uv

$(BIN)/civstat: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra dev --compile-bytecode --python $(PYTHON)
	@touch $@

dbt_project/target/manifest.json: $(BIN)/civstat $(shell find dbt_project -path dbt_project/target -prune -o -path dbt_project/logs -prune -o -type f -print)
	$(BIN)/civstat prepare

setup: $(BIN)/civstat dbt_project/target/manifest.json   ## .venv with the civstat command, dbt manifest

demo: setup   ## sample district → ingest → dbt → checks → release of $(PERIOD)
	rm -rf $(DEMO)
	$(BIN)/civstat sample --out $(DEMO)/inbox --scale district --faults some
	$(BIN)/civstat run --inbox $(DEMO)/inbox --warehouse $(DEMO)/warehouse --period $(PERIOD) --published-by demo

test: setup   ## every unit and integration test, the core end-to-end run: under 10 min on 2 cores
	$(BIN)/pytest -q -m "not e2e"

test-e2e: setup   ## the slow end-to-end cases only (marker e2e, pyproject.toml)
	$(BIN)/pytest -q -m e2e

test-all: setup   ## both in one session, so the shared district runs are built once
	$(BIN)/pytest -q

lint:
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/tests

clean:
	rm -rf build $(VENV) dbt_project/target
