"""The config document (DESIGN §5): loading, validation with exact paths, and the core's part of apply
(apps, credentials, webhooks). Family sections are validated by each family's own model."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationError, create_model

from . import strictjson
from .errors import ConfigError
from .family import family_names, scope_names


class StrictModel(BaseModel):
    """Config models refuse unknown keys, so a typo is an error with a path, never silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]

# Marks for config fields no answer may show (``Field(json_schema_extra=SECRET)``): a secret is redacted
# whole; a URL with a secret query (a postback's key) keeps its scheme, host, path and placeholders.
SECRET: dict[str, Any] = {"writeOnly": True}  # JSON Schema's word for sent, never returned
SECRET_QUERY: dict[str, Any] = {"x-secret-query": True}
REDACTED = "********"


def redacted(model: type[BaseModel], raw: Any) -> Any:
    """A stored config section (as dumped from ``model``) with every marked field redacted."""
    try:
        parsed = model.model_validate(raw)
    except ValidationError:
        return REDACTED  # a section stored under an older model: nothing to tell its secrets by
    return _redact(parsed, raw)


def _redact(value: Any, raw: Any) -> Any:
    if isinstance(value, BaseModel) and isinstance(raw, dict):
        out = dict(raw)
        for name, info in type(value).model_fields.items():
            key = info.alias if info.alias in out else name
            if out.get(key) is None:
                continue
            marks = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            if marks.get("writeOnly"):
                out[key] = REDACTED
            elif marks.get("x-secret-query"):
                out[key] = hide_query_values(str(out[key]))
            else:
                out[key] = _redact(getattr(value, name), out[key])
        return out
    if isinstance(value, (list, tuple)) and isinstance(raw, list):
        return [_redact(v, r) for v, r in zip(value, raw, strict=False)]
    if isinstance(value, dict) and isinstance(raw, dict):
        return {k: _redact(value.get(k), r) for k, r in raw.items()}
    return raw


def hide_query_values(url: str) -> str:
    """The URL with each query value but a placeholder redacted (keys, a postback's or a callback's)."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = "&".join(f"{k}={v if PLACEHOLDER.fullmatch(v) else REDACTED}" for k, v in pairs)
    return urlunsplit(parts._replace(query=query, fragment=""))


PLACEHOLDER = re.compile(r"\{[a-z_]+\}|\[%[A-Z_]+%\]")


def _known_scope(scope: str) -> str:
    if scope not in scope_names():
        raise ValueError(f"unknown scope '{scope}' (expected one of {', '.join(scope_names())})")
    return scope


Scope = Annotated[str, AfterValidator(_known_scope), Field(json_schema_extra={"x-closed-set": "scopes"})]


class CredentialSpec(StrictModel):
    name: Name
    client_id: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    secret: Annotated[str, Field(min_length=8, max_length=255)] | None = None
    scopes: Annotated[list[Scope], Field(min_length=1)]


EventPattern = Annotated[
    str,
    Field(
        pattern=r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$",
        max_length=128,
        description='"*", an event type ("click.created"), a prefix ("click.*"), or either after the '
        'family ("partners.click.created", "partners.*")',
    ),
]


class WebhookSpec(StrictModel):
    url: Annotated[str, Field(pattern=r"^https?://[^\s]+$", max_length=2048)]
    secret: Annotated[str, Field(min_length=8, max_length=255)]
    events: Annotated[list[EventPattern], Field(min_length=1, max_length=64)] = ["*"]


def _origin(value: str) -> str:
    if value == "*" or ORIGIN.fullmatch(value):
        return value.lower()
    raise ValueError(f"'{value}' is not an origin (scheme://host[:port], no path; or *)")


ORIGIN = re.compile(
    r"https?://([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?", re.IGNORECASE
)
Origin = Annotated[str, AfterValidator(_origin)]


class CorsSpec(StrictModel):
    """Who may call one family of the app from a browser page."""

    allowed_origins: Annotated[list[Origin], Field(max_length=100)]


class PrivacySpec(StrictModel):
    """The app's ``privacy`` section (see ``core.privacy``)."""

    # Store IPs cut to their network (IPv4 /24, IPv6 /48), after geo lookup and blocklist checks.
    anonymize_ip: StrictBool = False
    # Purge raw personal data (IPs, user agents, contacts, answers) older than this many days.
    personal_data_days: Annotated[int, Field(ge=1, le=36500)] | None = None


class AppSpec(StrictModel):
    """An app; its family sections (one optional mapping per registered family, validated by the
    family's own model) are added by :func:`document_model`."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,64}$")]
    name: Annotated[str, Field(min_length=1, max_length=255)]
    credentials: list[CredentialSpec] = []
    webhooks: list[WebhookSpec] = []
    # family name → its browser origins; a family left out keeps its default (checked by the top layer,
    # which knows which families serve browsers)
    cors: dict[str, CorsSpec] | None = None
    privacy: PrivacySpec | None = None  # absent: left as last applied


class ConfigDocument(StrictModel):
    apps: list[AppSpec] = []


@lru_cache(maxsize=4)
def document_model(families: tuple[str, ...]) -> type[ConfigDocument]:
    """The document's model for these families: each is one more optional key of an app."""
    sections: dict[str, Any] = {name: (dict[str, Any] | None, None) for name in families}
    app = create_model("AppSpec", __base__=AppSpec, **sections)
    return create_model("ConfigDocument", __base__=ConfigDocument, apps=(list[app], []))


def format_loc(loc: tuple[Any, ...] | list[Any]) -> str:
    """('apps', 0, 'credentials', 1, 'scopes', 0) → 'apps[0].credentials[1].scopes[0]'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def problems_of(exc: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    problems = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        # Drop pydantic's union-branch tags (e.g. 'str', 'list[...]') so paths stay the document's.
        path = format_loc(loc)
        if prefix:
            path = prefix + ("" if path.startswith("[") or not path else ".") + path
        if err["type"] == "extra_forbidden":
            problems.append((path, "unknown key"))
        elif err["type"] == "missing":
            problems.append((path, "required"))
        else:
            problems.append((path, err["msg"].removeprefix("Value error, ")))
    return problems


def load_file(path: str | Path) -> dict[str, Any]:
    """YAML or JSON (JSON is YAML, but its own parser gives better messages). An empty file is an error:
    it is more likely a mistake than a wish to configure nothing."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([("", f"cannot read {path}: {exc.strerror}")]) from exc
    if not text.strip():
        raise ConfigError([("", f"{path} is empty: a config document needs at least an 'apps' list")])
    try:
        return parse_text(text, json_first=path.suffix.lower() == ".json")
    except ConfigError as exc:  # the reader may have applied several files: say which one
        raise ConfigError([(where, f"{path}: {message}") for where, message in exc.problems]) from exc


def parse_text(text: str, *, json_first: bool = False, empty_ok: bool = True) -> dict[str, Any]:
    """JSON by the strict rules every request body follows (``core.strictjson``), or YAML within the same
    bounds (depth; integers Python can read). An empty document (YAML: nothing, ``null``) is an empty
    mapping, unless not ``empty_ok`` (an HTTP body, described as an object)."""
    if json_first:
        try:
            data = strictjson.loads(text)
        except strictjson.JsonRefused as exc:
            raise ConfigError([("", f"invalid JSON: {exc.detail}")]) from exc
    else:
        data = _load_yaml(text)
    if data is None and empty_ok:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([("", "the document must be a mapping with an 'apps' list")])
    return data


class _UniqueKeysLoader(yaml.SafeLoader):
    """``yaml.safe_load``, except that a mapping naming one key twice is refused, as strict JSON refuses
    it: YAML keeps the last, so a second ``campaigns:`` block would silently replace the first."""


def _unique_keys_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        # The keys a merge ('<<: *defaults') brings may be overridden: that is what it is for.
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, str | int | float | bool) or key is None:
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found the key {key!r} twice",
                    key_node.start_mark,
                )
            seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeysLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_keys_mapping)


def _load_yaml(text: str) -> Any:
    try:
        data = yaml.load(text, Loader=_UniqueKeysLoader)
    except yaml.YAMLError as exc:
        raise ConfigError([("", f"invalid YAML: {exc}")]) from exc
    except RecursionError:
        raise ConfigError([("", f"invalid YAML: nested deeper than {strictjson.MAX_DEPTH} levels")]) from None
    except ValueError as exc:  # an integer longer than Python reads (4300 digits)
        raise ConfigError([("", f"invalid YAML: {str(exc)[:100]}")]) from None
    try:
        strictjson.check_depth(data)
    except strictjson.JsonRefused as exc:
        raise ConfigError([("", f"invalid YAML: {exc.reason}")]) from None
    return data


def validate_core(data: dict[str, Any]) -> ConfigDocument:
    try:
        doc = document_model(family_names()).model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems_of(exc)) from exc
    problems: list[tuple[str, str]] = []
    _find_duplicates(problems, "apps", [a.id for a in doc.apps], "id", "app id")
    client_ids: dict[str, str] = {}
    for i, app in enumerate(doc.apps):
        base = f"apps[{i}]"
        _find_duplicates(problems, f"{base}.credentials", [c.name for c in app.credentials], "name", "name")
        _find_duplicates(problems, f"{base}.webhooks", [w.url for w in app.webhooks], "url", "url")
        for j, cred in enumerate(app.credentials):
            if cred.client_id is None:
                continue
            path = f"{base}.credentials[{j}].client_id"
            if cred.client_id in client_ids:
                problems.append(
                    (path, f"duplicate client_id '{cred.client_id}' (also {client_ids[cred.client_id]})")
                )
            client_ids.setdefault(cred.client_id, path)
    if problems:
        raise ConfigError(problems)
    return doc


def _find_duplicates(
    problems: list[tuple[str, str]], path: str, values: list[str], key: str, what: str
) -> None:
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        if value in seen:
            problems.append(
                (f"{path}[{index}].{key}", f"duplicate {what} '{value}' (also {path}[{seen[value]}])")
            )
        seen.setdefault(value, index)


def find_duplicates(values: list[str], *, path: str, key: str, what: str) -> list[tuple[str, str]]:
    """For family models: the problems for repeated ids in one list."""
    problems: list[tuple[str, str]] = []
    _find_duplicates(problems, path, values, key, what)
    return problems
