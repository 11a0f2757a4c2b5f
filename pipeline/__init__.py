"""partystats: figures from Vietnamese party-building news into DuckDB.

Stages, one module each:
  ingest     read files / JSONL records into Article objects
  textnorm   NFC text and a same-length "folded" view for matching
  furniture  page furniture and duplicated blocks to ignore
  segment    paragraphs, sentences, clauses
  numbers    Vietnamese number expressions -> values
  figures    candidate figures (count, percent, ratio, range, money, ...)
  meaning    qualifier, entity, status, target, measure text
  units      named administrative / party units and the gazetteer
  attribute  subject and period of each figure
  store      DuckDB tables
  evaluate   scoring against gold JSONL
"""
__version__ = "0.1.0"
