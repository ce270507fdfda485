"""Configuration: the declarative config document (``clicktrail apply``), its per-app cache, and the
server settings read from the environment."""
