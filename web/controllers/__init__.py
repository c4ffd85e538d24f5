"""Thin controllers: HTTP in, a core service call, a page or JSON out."""
