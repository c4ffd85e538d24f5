"""The public transparency portal: regency overview, unit pages, open data, the public API."""
