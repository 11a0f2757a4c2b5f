# Two commands matter on a fresh machine: `make extract` and `make test`.
# Both create .venv on first use from the pins in pyproject.toml.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CORPUS ?= corpus
DB     ?= extracted/figures.duckdb
GOLD   ?= tests/gold/seeds.jsonl tests/gold/dev.jsonl
BENCH  ?= ../shared/bench/news.jsonl.gz

.PHONY: extract test eval bench venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

extract: $(STAMP)
	$(PY) -m pipeline extract $(CORPUS) --db $(DB)

test: $(STAMP)
	$(PY) -m pytest

eval: $(STAMP)
	@test -f $(DB) || $(PY) -m pipeline extract $(CORPUS) --db $(DB) --quiet
	$(PY) -m pipeline eval $(GOLD) --db $(DB)

bench: $(STAMP)
	$(PY) -m pipeline.bench $(BENCH)

clean:
	rm -rf extracted/*.duckdb extracted/*.wal
