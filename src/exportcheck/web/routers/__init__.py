"""REST API routers, one per concern; each is thin over the Python API."""
