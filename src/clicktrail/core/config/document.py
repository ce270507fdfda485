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

from ..journeys.outbound import hide_userinfo, outbound_url
from ..scopes import credential_scopes, family_names
from ..web import strictjson
from ..web.errors import ConfigError
from .pacing import pace


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
    if isinstance(raw, str) and raw.startswith(("http://", "https://")):
        return hide_userinfo(raw)  # any URL's user:password@
    return raw


def hide_query_values(url: str) -> str:
    """The URL with each query value but a placeholder redacted (keys, a postback's or a callback's)."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = "&".join(f"{k}={v if PLACEHOLDER.fullmatch(v) else REDACTED}" for k, v in pairs)
    return urlunsplit(parts._replace(query=query, fragment=""))


PLACEHOLDER = re.compile(r"\{[a-z_]+\}|\[%[A-Z_]+%\]")


def _known_scope(scope: str) -> str:
    if scope not in credential_scopes():
        raise ValueError(f"unknown scope '{scope}' (expected one of {', '.join(credential_scopes())})")
    return scope


Scope = Annotated[
    str, AfterValidator(_known_scope), Field(json_schema_extra={"x-closed-set": "credential_scopes"})
]


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
    url: Annotated[str, Field(pattern=r"^https?://[^\s]+$", max_length=2048), AfterValidator(outbound_url)]
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


# A document's limits (CLICKTRAIL_MAX_CONFIG_BYTES, CLICKTRAIL_MAX_CONFIG_NODES): its size, and how many
# values it holds once every YAML alias is expanded (a 500-byte "billion laughs" expands to billions).
MAX_BYTES, MAX_NODES = 1_048_576, 500_000
MAX_BYTES_ENV, MAX_NODES_ENV = "CLICKTRAIL_MAX_CONFIG_BYTES", "CLICKTRAIL_MAX_CONFIG_NODES"


def load_file(path: str | Path, *, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES) -> dict[str, Any]:
    """YAML or JSON (JSON is YAML, but its own parser gives better messages). An empty file is an error:
    it is more likely a mistake than a wish to configure nothing."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ConfigError([("", f"{path}: {_too_large(size, max_bytes)}")])
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([("", f"cannot read {path}: {exc.strerror}")]) from exc
    if not text.strip():
        raise ConfigError([("", f"{path} is empty: a config document needs at least an 'apps' list")])
    try:
        return parse_text(
            text, json_first=path.suffix.lower() == ".json", max_bytes=max_bytes, max_nodes=max_nodes
        )
    except ConfigError as exc:  # the reader may have applied several files: say which one
        raise ConfigError([(where, f"{path}: {message}") for where, message in exc.problems]) from exc


def parse_text(
    text: str,
    *,
    json_first: bool = False,
    max_bytes: int = MAX_BYTES,
    max_nodes: int = MAX_NODES,
    empty_ok: bool = True,
) -> dict[str, Any]:
    """JSON by the strict rules every request body follows (``core.strictjson``), or YAML within the same
    bounds (depth; integers Python can read); either of at most ``max_bytes`` and ``max_nodes`` values.
    An empty document (YAML: nothing, ``null``) is an empty mapping, unless not ``empty_ok`` (an HTTP
    body, described as an object)."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > max_bytes:
        raise ConfigError([("", _too_large(size, max_bytes))])
    if json_first:
        try:
            data = strictjson.loads(text)
        except strictjson.JsonRefused as exc:
            raise ConfigError([("", f"invalid JSON: {exc.detail}")]) from exc
        if count_values(data, max_nodes) > max_nodes:
            raise ConfigError([("", f"invalid JSON: {_too_many(max_nodes)}")])
    else:
        data = _load_yaml(text, max_nodes)
    if data is None and empty_ok:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([("", "the document must be a mapping with an 'apps' list")])
    return data


def _too_large(size: int, max_bytes: int) -> str:
    return f"the document has {size} bytes, over the limit of {max_bytes} ({MAX_BYTES_ENV})"


def _too_many(max_nodes: int) -> str:
    return f"the document holds more than {max_nodes} values ({MAX_NODES_ENV})"


def count_values(data: Any, stop_after: int) -> int:
    """The values (mappings, lists, keys, scalars) ``data`` holds, counted until past ``stop_after``."""
    count, pending = 0, [data]
    while pending and count <= stop_after:
        value = pending.pop()
        count += 1
        if isinstance(value, dict):
            count += len(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return count


class _UniqueKeysLoader(yaml.SafeLoader):
    """``yaml.safe_load``, except that a mapping naming one key twice is refused, as strict JSON refuses
    it: YAML keeps the last, so a second ``campaigns:`` block would silently replace the first.

    Aliases count as what they expand to, while the document is composed and before anything is built:
    past ``max_nodes`` values the document is refused at the node or alias that crossed the limit, so a
    few ``*defaults`` are fine and a "billion laughs" costs no more than reading its bytes. An alias
    inside the node it names (a recursive document) is refused."""

    def __init__(self, stream: str, max_nodes: int = MAX_NODES):
        super().__init__(stream)
        self.max_nodes, self.values = max_nodes, 0
        self._sizes: dict[int, int] = {}  # id(node) -> values it expands to (nodes live while composing)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            named = self.anchors.get(event.anchor)
            if named is not None:
                if id(named) not in self._sizes:
                    raise yaml.composer.ComposerError(
                        None,
                        None,
                        f"found the alias *{event.anchor} inside the node it names",
                        event.start_mark,
                    )
                self._add(self._sizes[id(named)], event.start_mark)
            return super().compose_node(parent, index)
        pace()
        node = super().compose_node(parent, index)
        if node is None:  # never, past the alias branch: the stubs allow it
            return None
        self._sizes[id(node)] = 1 + sum(self._sizes[id(child)] for child in _children(node))
        self._add(1, node.start_mark)
        return node

    def _add(self, values: int, mark: Any) -> None:
        self.values += values
        if self.values > self.max_nodes:
            raise yaml.composer.ComposerError(None, None, _too_many(self.max_nodes), mark)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


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


def _load_yaml(text: str, max_nodes: int) -> Any:
    loader = _UniqueKeysLoader(text, max_nodes)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise ConfigError([("", f"invalid YAML: {exc}")]) from exc
    except RecursionError:
        raise ConfigError([("", f"invalid YAML: nested deeper than {strictjson.MAX_DEPTH} levels")]) from None
    except ValueError as exc:  # an integer longer than Python reads (4300 digits)
        raise ConfigError([("", f"invalid YAML: {str(exc)[:100]}")]) from None
    finally:
        loader.dispose()
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
