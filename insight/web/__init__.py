"""The moderator, researcher and reporter pages: server-rendered, on the same services as the API.

``page``: templates, the signed-in user, highlights; ``routes``: the pages' router, added to the
service's app by ``routes.mount`` (``insight.api.app``). Nothing here imports the API.
"""
