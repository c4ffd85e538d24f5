"""Units and their services: pages and API."""
