"""Staff survey pages and the survey API: cycles, entry and import, dashboards, recap."""
