"""The inspectorate's view: findings (temuan), integrity signals per cycle, the compliance matrix."""
