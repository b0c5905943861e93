"""A persistent person index: each crossing linked once to a person, a new day linked against persons.

Pure core (DuckDB, pyarrow, numpy; no database or web framework). `index.link_day` links a day; `corrections`
merges and splits persons with their evidence and tells a crossing's person now; `store` keeps it all in Parquet.
"""
