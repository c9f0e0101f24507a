# Everything runs inside a venv that this Makefile makes itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The tests read our feeds with JavaScript parsers too (ical.js, node-ical), pinned by the lockfile.
NODE_STAMP := node_modules/.installed
PROGRAMME := data/bromley-ecf-2017-18.yaml

.PHONY: run test lint install clean golden bench serve

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

run: $(STAMP)
	$(BIN)/scrutiny validate $(PROGRAMME)
	$(BIN)/scrutiny deadlines $(PROGRAMME)
	$(BIN)/scrutiny solve $(PROGRAMME) -o out/bromley-ecf-2017-18.plan.json --markdown -
	$(BIN)/scrutiny report $(PROGRAMME) out/bromley-ecf-2017-18.plan.json --format docx \
		-o out/bromley-ecf-2017-18.work-programme.docx
	$(BIN)/scrutiny report $(PROGRAMME) out/bromley-ecf-2017-18.plan.json --format html \
		--audience public -o out/bromley-ecf-2017-18.work-programme.html
	$(BIN)/scrutiny feeds $(PROGRAMME) out/bromley-ecf-2017-18.plan.json -o out/feeds

# The web service on http://127.0.0.1:8000 (SQLite file scrutiny.db unless DATABASE_URL is set).
serve: $(STAMP)
	$(BIN)/scrutiny serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy scheduler api tests

test: lint $(NODE_STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis

golden: $(STAMP)
	REWRITE_GOLDEN=1 $(BIN)/pytest tests/test_golden.py -q
	git diff --stat tests/golden

bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.starts
	$(BIN)/python -m bench.suggest
	$(BIN)/python -m bench.service
	$(BIN)/python -m bench.bad_input
	$(BIN)/python -m bench.time_limit
	$(BIN)/python -m bench.web_pages
	$(BIN)/python -m bench.moderngov
	$(BIN)/python -m bench.accounts
	$(BIN)/python -m bench.queue
