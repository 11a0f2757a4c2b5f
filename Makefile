# Two commands matter on a fresh machine: `make extract` and `make test`.
# Both create .venv on first use from the pins in pyproject.toml.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CORPUS ?= corpus
DB     ?= extracted/figures.duckdb
BENCH  ?= ../shared/bench/news.jsonl.gz
DEV_DB ?= extracted/dev.duckdb

.PHONY: extract test eval bench venv clean review export sql audit

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]' 2>&1 | grep -v "is ignored\|BuildBackendWarning\|return '\\\\n'" || true
	$(PY) -c "import pipeline, underthesea, duckdb, spacy, vietnamadminunits"
	touch $(STAMP)

extract: $(STAMP)
	$(PY) -m pipeline extract $(CORPUS) --db $(DB)

# After `make extract`: the DuckDB command line on the database, read-only (SQL=... runs one query).
sql: $(STAMP)
	@if [ ! -f $(DB) ]; then echo "no database at $(DB): run make extract first" >&2; exit 2; fi
	$(VENV)/bin/duckdb -readonly $(DB) $(if $(SQL),-c "$(SQL)")

# After `make extract`: extracted/review/index.html and one page per article.
review: $(STAMP)
	$(PY) -m pipeline review --db $(DB) --out extracted/review

# After `make extract`: extracted/figures.parquet (FORMAT=csv for extracted/figures.csv).
FORMAT ?= parquet
export: $(STAMP)
	$(PY) -m pipeline export --format $(FORMAT) --db $(DB)

test: $(STAMP)
	$(PY) -m pytest

# Seed gold against the sample corpus; dev gold (developed on) and held-out gold (never
# developed on) against their bench records, when ../shared is there.
HELDOUT_DB ?= extracted/heldout.duckdb
# NLP=1: extract with --nlp (underthesea where the rules leave a question open; nlp.py)
NLP_FLAG := $(if $(NLP),--nlp)
eval: $(STAMP)
	@$(PY) -m pipeline extract $(CORPUS) --db $(DB) --quiet $(NLP_FLAG)
	@if [ -f $(BENCH) ]; then \
	  $(PY) -m pipeline extract $(BENCH) --db $(DEV_DB) --only-ids-from tests/gold/dev.jsonl --quiet $(NLP_FLAG) && \
	  $(PY) -m pipeline extract $(BENCH) --db $(HELDOUT_DB) --only-ids-from tests/gold/heldout.jsonl --quiet $(NLP_FLAG) && \
	  $(PY) -m pipeline eval tests/gold/dev.jsonl --db $(DEV_DB) | sed '/^-- summary/,$$d'; \
	fi
	@$(PY) -m pipeline eval tests/gold/seeds.jsonl --db $(DB) | sed '/^-- summary/,$$d'
	@echo "-- summary --"
	@$(PY) -m pipeline eval tests/gold/seeds.jsonl --db $(DB) --brief
	@if [ -f $(BENCH) ]; then $(PY) -m pipeline eval tests/gold/dev.jsonl --db $(DEV_DB) --brief; \
	  $(PY) -m pipeline eval tests/gold/heldout.jsonl --db $(HELDOUT_DB) --brief; \
	  else echo "(dev and held-out sets skipped: $(BENCH) not found)"; fi

bench: $(STAMP)
	$(PY) -m pipeline.bench $(BENCH)

clean:
	rm -f extracted/*.duckdb extracted/*.wal
