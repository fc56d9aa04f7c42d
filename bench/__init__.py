"""Benchmark of the SQL-aggregated report against a pandas baseline (``python -m bench``)."""
