"""The web service: REST API, yente-compatible matching and the browser UI (``app.create_app``)."""
