"""API routers, one per area; each route parses, calls a library service and returns its answer."""
