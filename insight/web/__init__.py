"""The pages moderators, researchers and reporters work in: server-rendered Jinja2, plain forms."""
