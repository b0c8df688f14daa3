"""Benchmarks, one script per measured stage (`python -m bench` lists them)."""
