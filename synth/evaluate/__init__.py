"""Benchmarks: SciFact-format evaluation and its metrics."""
