"""Benchmarks: timing and quality measurements, run by hand (never part of the test suite)."""
