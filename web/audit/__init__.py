"""The audit log pages for admins and inspectors."""
