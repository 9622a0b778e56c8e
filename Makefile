# The two commands of the README, and a few more. Every target installs what it needs.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test test-fast setup system-deps node-deps a11y-deps screenshots bench bench-quick lint clean

demo: $(STAMP)            ## load the sample data into ./graphsvc.db and serve API, pages and maps
	$(VENV)/bin/graphsvc demo

test: $(STAMP) system-deps node-deps a11y-deps   ## every test: unit, store contract, CLI, HTTP, browser, notebooks
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)      ## the quick inner loop: no browser, notebooks or reliability suites
	$(PY) -m pytest -q -x -m "not browser" --ignore=tests/test_notebooks.py \
	    --ignore-glob='tests/test_reliability_*' $(PYTEST_ARGS)

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

system-deps:              ## headless Chromium and Thai fonts for the browser tests (Debian)
	scripts/install-system-deps.sh

node-deps:                ## Neo4j's Cypher parser for the Cypher lint
	@test -d tests/cypher/node_modules || npm ci --prefix tests/cypher --no-audit --no-fund

a11y-deps:                ## axe-core (pinned) for the accessibility checks of the browser tests
	@test -f tests/a11y/node_modules/axe-core/axe.min.js || npm ci --prefix tests/a11y --no-audit --no-fund

screenshots: $(STAMP) system-deps   ## Rayong page and map, desktop and phone, Thai and English -> artifacts/screenshots/
	$(PY) scripts/screenshots.py

bench: $(STAMP)           ## every benchmark at full size (tens of minutes)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	scripts/run-benchmarks.sh

bench-quick: $(STAMP)     ## every benchmark at small size (a few minutes)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	scripts/run-benchmarks.sh --quick

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache artifacts   # never the store (./graphsvc.db): it holds your data
