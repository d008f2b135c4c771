"""Benchmarks: run with `python -m bench.<name>` (see bench/README.md); not part of the test suite."""
