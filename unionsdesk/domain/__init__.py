"""Pure-Python domain rules: money, ID card numbers, tolerant value readers."""
