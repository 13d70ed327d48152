# The two commands of the README. Everything is installed by these rules: a virtual environment in
# .venv with the project and its dependencies from PyPI, Debian's antiword for .doc files and apertium
# for English recommendations (scripts/install-system-deps), and the
# project's local Neo4j 5 (neo4j-launcher/, built by Maven from Maven Central; the tests run every graph
# test on it too).
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

LAUNCHER = neo4j-launcher
install: $(VENV)/.installed $(LAUNCHER)/target/classpath.txt

# The launcher's jar and target/classpath.txt (written by dependency:build-classpath at `package`), so
# lawgraph starts Neo4j with a plain `java -cp`, offline.
$(LAUNCHER)/target/classpath.txt: $(LAUNCHER)/pom.xml $(shell find $(LAUNCHER)/src -name '*.java') scripts/install-system-deps
	scripts/install-system-deps
	mvn -q -B -f $(LAUNCHER)/pom.xml package
	touch $@  # build-classpath leaves an unchanged file's time alone

$(VENV)/.installed: pyproject.toml scripts/install-system-deps
	scripts/install-system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean-store:
	$(BIN)/lawgraph db stop || true
	rm -rf var/falkordb
