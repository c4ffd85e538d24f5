"""Celery workers: thin tasks that call job bodies in core and plugins."""
