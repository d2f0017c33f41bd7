"""The benchmarks and evaluations (run from the checkout: `python -m scripts.NAME`)."""
