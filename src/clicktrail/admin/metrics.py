"""``/admin/v1/apps/{app}/…``: metrics, funnels, journey timelines and CSV exports (admin.analytics).

Included in the admin router (its token guard and problem+json envelope) by ``admin.routes``."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ..core.storage.db import create_read_engine
from ..core.web.errors import InvalidInput, NotFound, Unauthorized
from ..core.web.http import envelope_route_class, runtime
from ..core.web.openapi import FAMILY, example, http_scheme, merged, requires
from . import analytics, examples
from .errors import BEARER, errors, render_error

ADMIN = requires(http_scheme("adminBearer", "bearer", BEARER))
DENIED = Unauthorized("missing or wrong admin token")
NO_APP = NotFound("app 'demo' not found")
BAD_FAMILY = InvalidInput(
    "family: unknown family 'shop' (expected one of surveys, partners, loyalty, signage)"
)
CSV = "text/csv"
FamilyPath = Annotated[str, Path(json_schema_extra=FAMILY)]

router = APIRouter(route_class=envelope_route_class(render_error))
_READERS: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()
_READERS_LOCK = threading.Lock()


def read_engine(request: Request) -> Engine:
    """The engine for long reads: on SQLite a pool outside the writer gate (a metrics query or an export
    never holds up the writer), on PostgreSQL the app's own."""
    engine = runtime(request).engine
    with _READERS_LOCK:
        reader = _READERS.get(engine)
        if reader is None:
            reader = _READERS[engine] = create_read_engine(engine)
    return reader


def read_session(request: Request) -> Iterator[Session]:
    with Session(read_engine(request), expire_on_commit=False, autoflush=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(read_session)]
From = Annotated[
    str | None, Query(alias="from", max_length=64, description="ISO 8601 (default: 30 days ago)")
]
To = Annotated[str | None, Query(alias="to", max_length=64, description="ISO 8601, exclusive (default: now)")]
Tz = Annotated[
    str | None, Query(max_length=64, description="IANA time zone of days and plain dates (default UTC)")
]
Format = Annotated[str | None, Query(pattern="^(json|csv)$", description="csv: the same as Accept: text/csv")]


def _wants_csv(request: Request, format: str | None) -> bool:
    if format is not None:
        return format == "csv"
    return CSV in request.headers.get("accept", "")


def _csv(lines: Iterator[bytes], name: str) -> StreamingResponse:
    """A CSV sent as it is written, a line at a time."""
    return StreamingResponse(
        lines,
        media_type=f"{CSV}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


CSV_EXTRA = {"responses": {"200": {"content": {CSV: {"example": examples.METRICS_CSV}}}}}


@router.get(
    "/apps/{app_id}/metrics",
    summary="Get an app's metrics",
    responses={200: example(examples.METRICS), **errors(BAD_FAMILY, DENIED, NO_APP)},
    openapi_extra=merged(ADMIN, CSV_EXTRA),
)
def get_metrics(
    request: Request,
    app_id: str,
    session: SessionDep,
    family: Annotated[str, Query(max_length=16, json_schema_extra=FAMILY)],
    group_by: Annotated[str | None, Query(max_length=32, description="day (default) or a dimension")] = None,
    measures: Annotated[
        str | None, Query(max_length=512, description="comma-separated (default: all)")
    ] = None,
    start: From = None,
    end: To = None,
    tz: Tz = None,
    format: Format = None,
    compare: Annotated[
        str | None, Query(pattern="^previous$", description="previous: also the period just before")
    ] = None,
) -> Any:
    """Counts and rates of one family over [from, to), grouped by day (in ``tz``) or by a dimension, with
    totals; each ``filter[DIMENSION]=VALUE`` limits it to one value of a dimension (filters combine, and
    with a grouping by another dimension), ``compare=previous`` adds the same answer for the period of the
    same length before. From hourly rollups, combinations from the family's raw rows: docs/metrics.md."""
    params: dict[str, Any] = {
        "app_id": app_id,
        "family": family,
        "group_by": group_by,
        "measures": measures,
        "tz": tz,
        "filters": filters_of(request),
    }
    answer = analytics.metrics(session, **params, start=start, end=end)
    if compare == "previous":
        answer = analytics.with_previous(session, answer, **params)
    if _wants_csv(request, format):
        return _csv(analytics.metrics_csv(answer), f"{app_id}-{answer['family']}-metrics.csv")
    return answer


def filters_of(request: Request) -> dict[str, str]:
    """``filter[country]=EE`` → {"country": "EE"} (a dimension given twice is refused)."""
    found: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key.startswith("filter[") and key.endswith("]"):
            name = key[len("filter[") : -1]
            if name in found:
                raise InvalidInput(f"filter[{name}]: given more than once")
            found[name] = value[:256]
    return found


@router.get(
    "/apps/{app_id}/funnels",
    summary="Get a funnel of an app's journeys",
    responses={200: example(examples.FUNNEL), **errors(BAD_FAMILY, DENIED, NO_APP)},
    openapi_extra=merged(ADMIN, {"responses": {"200": {"content": {CSV: {"example": examples.FUNNEL_CSV}}}}}),
)
def get_funnel(
    request: Request,
    app_id: str,
    session: SessionDep,
    family: Annotated[str, Query(max_length=16, json_schema_extra=FAMILY)],
    steps: Annotated[str, Query(min_length=1, max_length=8192, description="ordered, comma-separated")],
    window: Annotated[str | None, Query(max_length=32, description="ISO 8601 duration (default P7D)")] = None,
    step_windows: Annotated[
        str | None,
        Query(max_length=512, description="one ISO 8601 duration or nothing per step after the first"),
    ] = None,
    exclude: Annotated[
        str | None, Query(max_length=1024, description="steps that drop a journey: NAME or NAME@A-B")
    ] = None,
    campaign: Annotated[str | None, Query(max_length=255, description="signage: one campaign's")] = None,
    start: From = None,
    end: To = None,
    tz: Tz = None,
    format: Format = None,
) -> Any:
    """Journeys whose first step happened in [from, to), and how many reached each next step, in order,
    within ``window`` of the first and each step's own window of the step before; a journey that did an
    exclusion step between its two steps counts nowhere. ``filter[DIMENSION]=VALUE``: only the journeys
    whose first step's event has that value (as the metrics count it)."""
    answer = analytics.funnel(
        session, app_id=app_id, family=family, steps=steps, window=window, start=start, end=end, tz=tz,
        step_windows=step_windows, exclude=exclude, campaign=campaign, filters=filters_of(request),
    )  # fmt: skip
    if _wants_csv(request, format):
        return _csv(analytics.funnel_csv(answer), f"{app_id}-{answer['family']}-funnel.csv")
    return answer


@router.get(
    "/apps/{app_id}/journeys/{family}/{journey_id}",
    summary="Get one journey's events",
    responses={
        200: example(examples.JOURNEY),
        **errors(
            BAD_FAMILY, DENIED, NotFound("no partners journey '6650f1c2a1b2c3d4e5f60718' in app 'demo'")
        ),
    },
    openapi_extra=ADMIN,
)
def get_journey(app_id: str, family: FamilyPath, journey_id: str, session: SessionDep) -> Any:
    """The ordered events of one click or session (404 if it has none)."""
    return analytics.journey(session, app_id=app_id, family=family, journey_id=journey_id)


@router.get(
    "/apps/{app_id}/export/{family}.csv",
    summary="Export a family's rows as CSV",
    response_class=StreamingResponse,
    responses={200: example(examples.EXPORT_CSV, CSV), **errors(BAD_FAMILY, DENIED, NO_APP)},
    openapi_extra=ADMIN,
)
def export_rows(
    request: Request,
    app_id: str,
    family: FamilyPath,
    session: SessionDep,
    start: From = None,
    end: To = None,
    tz: Tz = None,
) -> StreamingResponse:
    """Every row (partners clicks, survey clicks, loyalty trials, signage sessions) created in [from, to),
    oldest first, streamed."""
    query, columns, name = analytics.export_plan(
        session, app_id=app_id, family=family, start=start, end=end, tz=tz
    )
    session.close()  # the rows are read on a connection of their own, as they are sent
    return StreamingResponse(
        analytics.stream_rows(read_engine(request), query, columns),
        media_type=f"{CSV}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
