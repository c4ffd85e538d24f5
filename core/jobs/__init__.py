"""Background jobs: the transactional outbox and the handlers that run its rows."""
