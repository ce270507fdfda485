"""Who is acting on the admin API and the dashboard, and what they may do: the one policy both go through.

An ``Actor`` is the bootstrap admin token (an owner of everything), a dashboard user (owner, admin or
viewer, optionally limited to some apps), an app's credential with the ``metrics`` scope (reads its own
app's analytics), or the command line (an operator on the machine, an owner). ``authorize`` decides a
request from the actor and the route alone; routes never repeat the checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..web.errors import Forbidden

ROLES = ("owner", "admin", "viewer")
METRICS = "metrics"  # the credential scope that reads its own app's analytics through the admin API
# The admin routes a metrics credential may call (by endpoint name), all reads of one app.
METRICS_READS = frozenset(
    {"get_metrics", "get_funnel", "get_journey", "list_events", "stream_events", "export_rows"}
)
READS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True, slots=True)
class Actor:
    kind: str  # "token", "user", "credential" or "cli"
    name: str  # what the audit log shows: an email, "admin token", "credential demo/ib", "command line"
    role: str  # owner, admin, viewer, or metrics (a credential)
    apps: tuple[str, ...] | None = None  # the apps it may see; None: every app
    user_id: int | None = None

    def sees(self, app_id: str) -> bool:
        return self.apps is None or app_id in self.apps

    def require_app(self, app_id: str) -> None:
        if not self.sees(app_id):
            raise Forbidden(f"{self.name} has no access to app '{app_id}'")

    def require_apps(self, app_ids: Iterable[str]) -> None:
        for app_id in app_ids:
            self.require_app(app_id)

    @property
    def writes(self) -> bool:
        return self.role in ("owner", "admin")


TOKEN = Actor("token", "admin token", "owner")
CLI = Actor("cli", "command line", "owner")


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root + "/")


def authorize(actor: Actor, *, method: str, route: str, path: str, app_id: str | None) -> None:
    """Raise Forbidden unless ``actor`` may call the route named ``route`` (its endpoint's name) at ``path``
    (below ``/admin/v1``, e.g. ``/users/3``) with ``method``, on ``app_id`` when the path names one."""
    if actor.role == METRICS:
        if route not in METRICS_READS:
            raise Forbidden("a metrics credential reads only its app's metrics, funnels, journeys and events")
    elif _under(path, "/users"):
        if actor.role != "owner":
            raise Forbidden("only an owner manages users")
    elif _under(path, "/audit"):
        if actor.role not in ("owner", "admin"):
            raise Forbidden("only an owner or an admin reads the audit log")
    elif method not in READS and not actor.writes:
        raise Forbidden(f"{actor.name} is a {actor.role}: read only")
    if app_id is not None:
        actor.require_app(app_id)
