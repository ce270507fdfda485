"""clicktrail: click-to-reward journey tracking with four wire-compatible vendor APIs on one engine."""

__version__ = "0.1.0"
