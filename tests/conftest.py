import datetime as dt
from pathlib import Path

import pytest


from pipeline.doc import Article
from pipeline.extract import process

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"
BENCH = ROOT.parent / "shared" / "bench" / "news.jsonl.gz"


def table(name: str):
    """Rows of tests/examples/<name>.tsv (comments skipped) as pytest params."""
    rows = []
    with open(EXAMPLES / f"{name}.tsv", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def run(text: str, published: str | None = "2024-01-01"):
    pub = dt.date.fromisoformat(published) if published and published != "-" else None
    return process(Article(article_id="t", source="test", text=text, published=pub))


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    """The sample corpus extracted once per test run, for tests that only read it."""
    from pipeline.run import extract

    path = tmp_path_factory.mktemp("corpus_db") / "figures.duckdb"
    extract([str(ROOT / "corpus")], str(path), quiet=True)
    return path
