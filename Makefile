# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_TOOLS := tests/node/node_modules/.installed-stamp
DEMO_TODAY := 2026-11-23

.PHONY: demo test test-fast venv node-tools lint bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@# pip 25.1 is the first to install a dependency group (`--group`, PEP 735): the test
	@# tools are one, not a published extra. Asking for it fails loudly where none is found.
	$(BIN)/python -m pip install --quiet --upgrade 'pip>=25.1'
	$(BIN)/python -m pip install --quiet -e '.[serve,pdf]' --group test
	touch $(STAMP)

# check-load exits 1 when it finds an error-level collision (the Karimi case is built to
# show one); the demo accepts that and fails only on invalid files (exit 2) or a crash.
demo: $(STAMP)
	$(BIN)/familieplan validate --workspace examples
	$(BIN)/familieplan check-load --workspace examples; status=$$?; [ $$status -le 1 ]
	$(BIN)/familieplan due --workspace examples --today $(DEMO_TODAY); status=$$?; [ $$status -le 1 ]
	$(BIN)/familieplan status --workspace examples --today $(DEMO_TODAY); status=$$?; [ $$status -le 1 ]
	$(BIN)/familieplan render-minutes examples/cases/2025-001-holm/meetings/2025-09-15-faellesmoede.yaml \
	    --workspace examples --format html --for all --output out/demo --force --no-record
	$(BIN)/familieplan render-plan 2025-001-holm --workspace examples --format html --output out/demo/faellesplan-holm.html --force
	$(BIN)/familieplan render-plan 2026-002-karimi --workspace examples --format md --output out/demo/faellesplan-karimi.md --force
	$(BIN)/familieplan report --workspace examples --today $(DEMO_TODAY) --format html --output out/demo/resultater.html --force
	$(BIN)/familieplan report 2026-002-karimi --workspace examples --today $(DEMO_TODAY) --for sb-familie \
	    --format md --output out/demo/resultater-karimi-test.md --force --no-record
	@# Recording a disclosure writes to the case's disclosures.yaml: shown on a temporary copy,
	@# so that the checkout stays unchanged.
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cp -R examples "$$tmp/ws" && \
	    $(BIN)/familieplan report 2026-002-karimi --workspace "$$tmp/ws" --today $(DEMO_TODAY) --for misbrugsbehandler \
	        --format html --output out/demo/resultater-karimi-misbrugsbehandler.html --force && \
	    $(BIN)/familieplan disclosures 2026-002-karimi --workspace "$$tmp/ws"
	@echo "Rendered documents are in out/demo/"
	@echo "See the caseload and every case in a browser (local, read-only; Ctrl-C stops it):"
	@echo "  $(BIN)/familieplan serve --workspace examples --today $(DEMO_TODAY)"

# Node packages the tests run (two iCalendar parsers, and axe-core for the browser tests'
# accessibility checks), into tests/node/node_modules (ignored).
node-tools: $(NODE_TOOLS)

$(NODE_TOOLS): tests/node/package.json tests/node/package-lock.json
	npm ci --prefix tests/node --no-audit --no-fund --silent
	touch $(NODE_TOOLS)

# The whole suite: what .ci/run calls (on every core, pytest-xdist).
test: $(STAMP) $(NODE_TOOLS)
	$(BIN)/python -m pytest -n auto

# The inner loop: everything but the tests marked `slow` (external tools, browsers,
# mypy, the wheel build, long property rounds).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -n auto

lint: $(STAMP)
	$(BIN)/ruff check familieplan tests bench
	$(BIN)/python -m mypy familieplan

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info .cache
