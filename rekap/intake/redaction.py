"""Secrets kept out of everything a person or a machine may read: logs, artifacts, notifications, the
CLI's summary, the warehouse. One function, `redact`, for every place that shows text which may hold a
URL or a secret."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit

HIDDEN = "***"
# A URL inside any text: a scheme, `://`, then everything up to a space, a quote or an angle bracket (as
# aiohttp, httpx and botocore print them: `url='https://...'`, `URL('...')`, `<https://...>`).
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>`]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def redact(text: object, *secrets: str | None) -> str:
    """`text` fit to be shown: each of `secrets` replaced by `***`, and in every URL the user and
    password (`https://***@host/...`) and the value of every query parameter (`?token=***`): a query is
    where tokens travel, and a URL names the file well enough without it. Secrets given are replaced
    as written: pass a secret URL's own text, and prefer messages that do not quote it at all."""
    shown = str(text)
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        shown = shown.replace(secret, HIDDEN)
    return _URL.sub(lambda m: _redact_url(m.group()), shown)


def redact_all(value: object, secrets: Iterable[str | None] = ()) -> object:
    """`redact` applied to every string inside nested dicts, lists and tuples (a JSON message)."""
    secrets = tuple(secrets)
    if isinstance(value, str):
        return redact(value, *secrets)
    if isinstance(value, dict):
        return {k: redact_all(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_all(v, secrets) for v in value)
    return value


def without_control_characters(text: str) -> str:
    """Text on one line, for places that must not break (an e-mail header, a log line): line breaks,
    tabs and other control characters become spaces, runs of spaces one."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _redact_url(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket: nothing can be trusted about it
        return f"{url.split('://', 1)[0]}://{HIDDEN}"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{HIDDEN}@{netloc.rsplit('@', 1)[1]}"
    query = "&".join(
        f"{item.split('=', 1)[0]}={HIDDEN}" if "=" in item else HIDDEN
        for item in parts.query.split("&")
        if item
    )
    return SplitResult(parts.scheme, netloc, parts.path, query, parts.fragment).geturl()
