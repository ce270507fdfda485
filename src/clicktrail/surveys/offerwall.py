"""The hosted offerwall: the page BitBurst's SDKs open (``open()``) for a token and a user id.

``GET /offerwall?token=…&uid=…[&os=…&sdk=…&<tags>]`` lists the user's surveys (the listing service of
``GET /v2/client/surveys``); its script then drives the JSON click API and reports progress to the app as
the SDKs' hook messages. Its UTM fields, ``link`` and sub-ids go on every click_url it lists
(``attribution``). Meant to be framed by the publisher's app, so it allows any frame ancestor; it sends no
Referer, since its own URL carries the token."""

from __future__ import annotations

import json
import re
import secrets
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from ..core.web.errors import ClicktrailError, InvalidInput
from ..core.web.http import envelope_route_class, path_prefix, public_url, runtime
from ..core.web.openapi import example
from . import listing
from .appsettings import app_settings_of
from .attribution import from_query
from .callbacks import amount
from .config import AppSettings
from .errors import render_error as render_json_error
from .schemas import accept_languages, language_preference
from .service import LEAVE_REASONS
from .session_steps import settings_of

PAGES = re.compile(r"/offerwall|/v2/client/clicks/[^/]+/page")


def render_error(request: Request, error: ClicktrailError, status: int) -> Response:
    """Surveys' errors: BitLabs' JSON envelope, but on the pages a browser shows (the offerwall, the
    question page) a short page in the user's language, as strict as the page itself."""
    path = request.url.path
    if not PAGES.fullmatch(path):
        return render_json_error(request, error, status)
    lang = page_language(request.headers.get("accept-language"))
    nonce = secrets.token_urlsafe(16)
    wall = path == "/offerwall"  # its links come from apps: one generic word, never the details
    html = (
        templates()
        .get_template("offerwall_error.html")
        .render(words=WORDS[lang], lang=lang, nonce=nonce, message=None if wall else error.message)
    )
    headers = security_headers(nonce) if wall else question_page_headers(nonce)
    return HTMLResponse(html, status_code=status, headers=headers)


def question_page_headers(nonce: str) -> dict[str, str]:
    """The plain question page runs no script and loads nothing; it is never framed (clickjacking: the
    offerwall is the page meant for framing). No form-action: the form's answer may redirect (303) to the
    click's own redirect URL, on whatever host the app configured."""
    policy = (
        f"default-src 'none'; script-src 'none'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
        "base-uri 'none'; frame-ancestors 'none'"
    )
    return {"X-Frame-Options": "DENY", "Content-Security-Policy": policy, "Cache-Control": "no-store"}


router = APIRouter(route_class=envelope_route_class(render_error), tags=["surveys"])

# The page's own words. Keys in every language; {min}/{max}/{example} are filled in by the script.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Surveys",
        "close": "Close",
        "intro": "Answer a few questions and earn a reward.",
        "empty": "No surveys right now. Please come back later.",
        "minutes": "{loi} min",
        "start": "Start",
        "bonus": "Start bonus",
        "question_of": "Question {n} of {total}",
        "next": "Next",
        "skip": "Skip",
        "leave": "Leave survey",
        "leave_title": "Leave this survey?",
        "leave_text": "Your answers so far will be lost. Why do you want to leave?",
        "leave_confirm": "Leave survey",
        "leave_cancel": "Continue survey",
        "reason.SENSITIVE": "The questions are too personal",
        "reason.UNINTERESTING": "The topic does not interest me",
        "reason.TECHNICAL": "Something does not work",
        "reason.TOO_LONG": "It takes too long",
        "reason.OTHER": "Another reason",
        "choose_reason": "Please choose a reason.",
        "example": "Example: {example}",
        "choose_between": "Choose {min} to {max}.",
        "to_survey": "You qualify! Taking you to the survey…",
        "screenout": "Sorry, you did not qualify for this survey.",
        "start_bonus_done": "Done! You earned the start bonus.",
        "left": "You left the survey.",
        "back": "Back to surveys",
        "earned": "You earned {reward}.",
        "error.REGEX_MISMATCH": "Please check the format of your answer.",
        "error.TOO_SHORT": "Please enter at least {min} characters.",
        "error.TOO_LONG": "Please enter at most {max} characters.",
        "error.OUT_OF_RANGE": "Please enter a value from {min} to {max}.",
        "error.NOT_A_NUMBER": "Please enter a number, e.g. 3.",
        "error.NOT_A_DATE": "Please enter a date.",
        "error.TOO_FEW_ANSWERS": "Please choose at least {min}.",
        "error.TOO_MANY_ANSWERS": "Please choose at most {max}.",
        "error.UNKNOWN_ANSWER": "Please choose one of the answers shown.",
        "error.NOT_SKIPPABLE": "This question cannot be skipped.",
        "error.NO_OPEN_QUESTION": "This survey has already ended.",
        "error.generic": "Something went wrong. Please try again.",
        "error.network": "No connection. Please check your internet and try again.",
        "error.page": "This offerwall link is not valid. Please reopen it from the app.",
    },
    "de": {
        "title": "Umfragen",
        "close": "Schließen",
        "intro": "Beantworte ein paar Fragen und verdiene eine Belohnung.",
        "empty": "Gerade gibt es keine Umfragen. Schau bitte später wieder vorbei.",
        "minutes": "{loi} Min.",
        "start": "Starten",
        "bonus": "Startbonus",
        "question_of": "Frage {n} von {total}",
        "next": "Weiter",
        "skip": "Überspringen",
        "leave": "Umfrage verlassen",
        "leave_title": "Diese Umfrage verlassen?",
        "leave_text": "Deine bisherigen Antworten gehen verloren. Warum möchtest du gehen?",
        "leave_confirm": "Umfrage verlassen",
        "leave_cancel": "Weiter teilnehmen",
        "reason.SENSITIVE": "Die Fragen sind zu persönlich",
        "reason.UNINTERESTING": "Das Thema interessiert mich nicht",
        "reason.TECHNICAL": "Etwas funktioniert nicht",
        "reason.TOO_LONG": "Es dauert zu lange",
        "reason.OTHER": "Ein anderer Grund",
        "choose_reason": "Bitte wähle einen Grund.",
        "example": "Beispiel: {example}",
        "choose_between": "Wähle {min} bis {max}.",
        "to_survey": "Du bist qualifiziert! Weiter zur Umfrage …",
        "screenout": "Leider passt diese Umfrage nicht zu dir.",
        "start_bonus_done": "Geschafft! Du hast den Startbonus verdient.",
        "left": "Du hast die Umfrage verlassen.",
        "back": "Zurück zu den Umfragen",
        "earned": "Du hast {reward} verdient.",
        "error.REGEX_MISMATCH": "Bitte prüfe das Format deiner Antwort.",
        "error.TOO_SHORT": "Bitte gib mindestens {min} Zeichen ein.",
        "error.TOO_LONG": "Bitte gib höchstens {max} Zeichen ein.",
        "error.OUT_OF_RANGE": "Bitte gib einen Wert von {min} bis {max} ein.",
        "error.NOT_A_NUMBER": "Bitte gib eine Zahl ein, z. B. 3.",
        "error.NOT_A_DATE": "Bitte gib ein Datum ein.",
        "error.TOO_FEW_ANSWERS": "Bitte wähle mindestens {min}.",
        "error.TOO_MANY_ANSWERS": "Bitte wähle höchstens {max}.",
        "error.UNKNOWN_ANSWER": "Bitte wähle eine der angezeigten Antworten.",
        "error.NOT_SKIPPABLE": "Diese Frage kann nicht übersprungen werden.",
        "error.NO_OPEN_QUESTION": "Diese Umfrage ist bereits beendet.",
        "error.generic": "Etwas ist schiefgelaufen. Bitte versuche es noch einmal.",
        "error.network": "Keine Verbindung. Bitte prüfe dein Internet und versuche es noch einmal.",
        "error.page": "Dieser Link ist ungültig. Bitte öffne die Umfragen erneut aus der App.",
    },
}
DEFAULT_LANGUAGE = "en"


def page_language(accept_language: str | None) -> str:
    """The first of the user's languages the page speaks (the questions pick theirs the same way)."""
    return next((lang for lang in accept_languages(accept_language) if lang in WORDS), DEFAULT_LANGUAGE)


def text_color_on(background: str) -> str:
    """Black or white text on a colour or gradient (its first hex colour), by the SDKs' luminance cut."""
    found = re.search(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", background)
    if not found:
        return "#ffffff"
    digits = found.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(digits[i : i + 2], 16)) for i in (0, 2, 4))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.729 else "#ffffff"


def reward_text(value: Decimal, settings: AppSettings) -> str:
    if settings.currency.floor_decimal:
        value = value.to_integral_value(rounding=ROUND_FLOOR)
    return amount(value)


@lru_cache(maxsize=1)
def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("clicktrail.surveys", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["text_on"] = text_color_on
    return env


def security_headers(nonce: str, image_origin: str | None = None) -> dict[str, str]:
    images = "'self' data:" + (f" {image_origin}" if image_origin else "")
    policy = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        f"img-src {images}; connect-src 'self'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors *"  # framed by the publisher's app (web) or opened in the SDK's web view
    )
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",  # the page's URL carries the app's token
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _country(request: Request) -> str | None:
    return runtime(request).geo.lookup(request.client.host).country_code if request.client else None


Token = Annotated[str, Query(max_length=255, description="the app's surveys token (X-Api-Token)")]
Uid = Annotated[str, Query(max_length=200, description="the publisher's user id, at most 65 chars")]


def html_error(description: str) -> dict[str, Any]:
    page = {"schema": {"type": "string"}, "example": "<!doctype html>…a short page saying what is wrong…"}
    return {"description": description, "content": {"text/html": page}}


@router.get(
    "/offerwall",
    response_class=HTMLResponse,
    name="offerwall",
    summary="Open the hosted offerwall",
    responses={
        200: example('<!doctype html><html lang="en">…the user\'s surveys…</html>', "text/html"),
        400: html_error("no uid, or one longer than 65 characters"),
        401: html_error("an unknown token"),
    },
)
def offerwall(request: Request, token: Token = "", uid: Uid = "") -> HTMLResponse:
    """The user's surveys as a page the app opens or frames; questions are asked in place."""
    lang = page_language(request.headers.get("accept-language"))
    nonce = secrets.token_urlsafe(16)
    page = _offerwall_page(request, token, uid, lang)  # its errors: render_error, as a page
    settings: AppSettings = page["settings"]
    image = settings.currency.symbol if settings.currency.symbol_is_image else None
    html = templates().get_template("offerwall.html").render(**page, lang=lang, nonce=nonce)
    return HTMLResponse(html, headers=security_headers(nonce, _origin(image) if image else None))


def _offerwall_page(request: Request, token: str, uid: str, lang: str) -> dict[str, Any]:
    rt = runtime(request)
    principal = rt.auth.authenticate(token, "surveys")
    if not uid.strip() or len(uid) > 65:
        raise InvalidInput("uid is required, at most 65 characters")
    with rt.sessions() as session:
        settings, factor = app_settings_of(session, principal.app_id)
        with session.begin():
            screenout_reward = settings_of(session, principal.app_id).screenout_reward
        surveys = listing.list_surveys(
            session,
            app_id=principal.app_id,
            user_id=uid,
            country=_country(request),
            languages=language_preference(request.headers.get("accept-language")),
            base_url=public_url(request, "/"),
            attribution=from_query(request.query_params),
        )["surveys"]
    screenout_value = Decimal(screenout_reward or 0) * factor
    for survey in surveys:
        survey["reward_text"] = reward_text(Decimal(survey["value"]), settings)
    script_config = {
        "words": WORDS,
        "lang": lang,
        "reasons": list(LEAVE_REASONS_SHOWN),
        "screenoutReward": float(screenout_value),
        "screenoutRewardText": reward_text(screenout_value, settings),
        "currency": settings.currency.model_dump(),
        "clicksPath": path_prefix(request) + "/v2/client/clicks/",  # behind a proxy's prefix too
    }
    return {
        "settings": settings,
        "words": WORDS[lang],
        "surveys": surveys,
        # JSON inside <script>: "<" escaped so no value can close the element.
        "script_config": json.dumps(script_config, ensure_ascii=False).replace("<", "\\u003c"),
    }


# The SDKs' leave dialog order; the service accepts exactly these.
LEAVE_REASONS_SHOWN = ("SENSITIVE", "UNINTERESTING", "TECHNICAL", "TOO_LONG", "OTHER")
if set(LEAVE_REASONS_SHOWN) != set(LEAVE_REASONS):
    raise RuntimeError("the offerwall's leave reasons differ from the ones the service accepts")
