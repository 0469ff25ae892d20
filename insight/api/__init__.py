"""The HTTP service: a FastAPI app over the library services (see ``insight.api.app.create_app``)."""

from insight.api.app import create_app

__all__ = ["create_app"]
