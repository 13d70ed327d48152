# The two commands of the README. Everything is installed by these rules: a virtual environment in
# .venv with the project and its dependencies from PyPI, and Debian's antiword for .doc files.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: serve test test-fast bench install clean-store

serve: install   ## build the graph from the corpus on the embedded store, then serve it
	$(BIN)/lawgraph build
	$(BIN)/lawgraph serve --host $(HOST) --port $(PORT)

test: install    ## every test, the corpus-wide ones marked slow included (what CI runs)
	$(BIN)/pytest; rc=$$?; [ $$rc -ne 5 ] || echo "make test: pytest collected no test (exit 5)" >&2; exit $$rc

test-fast: install   ## for developers: the suite without the corpus-wide tests marked slow
	$(BIN)/pytest -m 'not slow'

bench: install
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/install-system-deps scripts/install-falkordb-module
	scripts/install-system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	scripts/install-falkordb-module $(VENV)   # FalkorDB 4.22.1, chosen by a soak (docs/store.md)
	touch $@

clean-store:
	$(BIN)/lawgraph db stop || true
	rm -rf var/falkordb
