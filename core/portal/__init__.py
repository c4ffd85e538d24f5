"""The public transparency portal's read models: only published things, only aggregates."""
