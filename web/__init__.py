"""The Litestar web app: server-rendered pages, the JSON API and health."""
