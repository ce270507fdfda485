"""HTTP in and out for the signage family: parse, authenticate, call one service function, render."""

from __future__ import annotations

from fastapi import APIRouter

from ..core.http import envelope_route_class
from .errors import render_error

router = APIRouter(route_class=envelope_route_class(render_error), tags=["signage"])
