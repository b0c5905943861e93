"""Screening: rules as ibis expressions (engine.py) run on DuckDB or Spark; explanations."""
