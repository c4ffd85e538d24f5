"""Report pages and API: generate a cycle's report, follow its job, download, review, publish."""
