"""The core's write paths: keyword-only functions that keep its rules (forms, imports and
views call them)."""
