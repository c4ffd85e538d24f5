"""Survey pages and API, one module per audience and task."""
