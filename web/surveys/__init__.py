"""Staff survey pages and the survey API: cycles, entry and import, responses, dashboards, recap."""
