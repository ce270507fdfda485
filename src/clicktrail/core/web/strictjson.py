"""Strict JSON for everything a client sends: RFC 8259 as orjson reads it (no NaN or Infinity, no lone
surrogates, numbers within a double's range), at most ``MAX_DEPTH`` levels deep, no key twice in one
object (the standard leaves duplicates undefined and parsers disagree on which one wins: we refuse them),
and no NUL character in a string (PostgreSQL refuses it in text where SQLite keeps it: refused here, both
engines answer alike; only a text holding the escape ``\\u0000`` is searched for one).

The duplicate check sits on the ingest hot path, so it costs no second parse: orjson writes a parsed value
back with exactly one ``:`` per key plus the colons inside its strings, so when no key repeats, the raw
text holds as many colons as that output. A key given twice drops a pair, and with it a colon. Only a
``\\u003a`` escape (a colon spelled out) breaks the count; a text holding one gets the exact check."""

from __future__ import annotations

import json
from typing import Any

import orjson

MAX_DEPTH = 64


class JsonRefused(ValueError):
    """The text is not JSON we accept: ``reason`` says why, None for a plain syntax error (``detail`` then
    says where)."""

    def __init__(self, reason: str | None = None, detail: str | None = None):
        super().__init__(reason or detail or "malformed JSON")
        self.reason = reason
        self.detail = detail or reason or "malformed JSON"


class NulRefused(JsonRefused):
    """A string holds a NUL character: ``path`` names its place (object keys and list indexes)."""

    def __init__(self, path: tuple[str | int, ...]):
        self.path = path
        super().__init__(f"{'.'.join(map(str, path)) or 'body'}: {NUL_MESSAGE}")


NUL_MESSAGE = "must not contain a NUL character"


def loads(raw: bytes | str) -> Any:
    data = _parse(raw)
    text = raw.encode("utf-8") if isinstance(raw, str) else raw
    if type(data) is dict or type(data) is list:
        if text.count(b"[") + text.count(b"{") > MAX_DEPTH:
            check_depth(data)
        if text.find(b"\\u003") >= 0 or text.count(b":") != orjson.dumps(data).count(b":"):
            _find_duplicate(text)
    if text.find(b"\\u0000") >= 0:
        _refuse_nul(data)
    return data


def _refuse_nul(data: Any) -> None:
    """Raise :class:`NulRefused` for a string (key or value) holding a NUL character, if any."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if type(node) is str:
            if "\x00" in node:
                raise NulRefused(path)
        elif type(node) is dict:
            for key, value in reversed(node.items()):
                if "\x00" in key:
                    raise NulRefused((*path, key))
                stack.append((value, (*path, key)))
        elif type(node) is list:
            stack.extend((value, (*path, index)) for index, value in reversed(list(enumerate(node))))


def _parse(raw: bytes | str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "depth" in str(exc) or "recursion" in str(exc):
            raise JsonRefused(f"nested deeper than {MAX_DEPTH} levels") from None
        raise JsonRefused(detail=str(exc)) from None


def check_depth(data: Any) -> None:
    """Refuse a value nested deeper than ``MAX_DEPTH`` (for values parsed elsewhere, e.g. from YAML)."""
    if type(data) is not dict and type(data) is not list:
        return
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise JsonRefused(f"nested deeper than {MAX_DEPTH} levels")
        for value in node.values() if type(node) is dict else node:
            if type(value) is dict or type(value) is list:
                stack.append((value, depth + 1))


def _refuse_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise JsonRefused(f"duplicate key '{key[:100]}'")
        seen[key] = value
    return seen


def _find_duplicate(text: bytes) -> None:
    """The exact check (depth is already bounded, so the standard parser cannot recurse too far)."""
    json.loads(text, object_pairs_hook=_refuse_repeats)
