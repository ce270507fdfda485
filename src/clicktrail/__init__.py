"""clicktrail: click-to-reward journey tracking with four wire-compatible vendor APIs on one engine."""

import sys

__version__ = "0.1.0"

# httpx imports its command-line client (rich, pygments, click: ~4 MB resident in every server process)
# whenever those are installed, and typer brings them. Nothing here runs that client: httpx falls back
# to a stub ``httpx.main`` when ``httpx._main`` cannot be imported. Left alone if already imported.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
