"""Scoring claims against evidence: NLI, numbers, aggregation, calibration."""
