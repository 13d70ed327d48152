"""Comparisons of parser output with hand-verified answer files (../shared/eval/)."""
