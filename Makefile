# The two commands of the README's Quick start: `make app` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo-centre

PORT ?= 8501

.PHONY: app demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

## Install, create the demo workspace on first start (about two minutes), open the dashboard.
app: $(VENV)/.installed
	@test -f $(DEMO_DIR)/wfm.toml || $(BIN)/wfm demo --out $(DEMO_DIR)
	@echo "wfm dashboard on the $(DEMO_DIR) workspace: open http://localhost:$(PORT) (Ctrl-C stops it)"
	WFM_WORKSPACE=$(DEMO_DIR) $(BIN)/streamlit run app.py --server.headless true \
	    --server.port $(PORT) --browser.gatherUsageStats false

## Install and run the file pipeline (forecast, staff, schedule, report) on the demo files.
demo: $(VENV)/.installed
	$(BIN)/wfm demo --out demo-files --files-only --run

## Install the dev dependencies and run the whole test suite (what CI runs).
test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(DEMO_DIR) demo-files .pytest_cache test-output
