"""Shared HTTP pieces for the ACLED and UCDP API clients (stdlib urllib only).

This module owns credentials from the environment, JSON requests with retries, URL
cleaning, atomic writes and the metadata sidecars of raw pulls.

Both clients page through JSON, keep credentials in memory only, and save each pull as a raw
file under ``data/raw/`` with a JSON *sidecar* recording when, from where and with which
filters the data was pulled. Credentials come from environment variables; they are never
written to the sidecar, to logs or to error messages, and :func:`write_sidecar` refuses to
write a file that contains one.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

USER_AGENT = "ceasefire-analysis/0.1 (+research; python-urllib)"
DEFAULT_TIMEOUT_SECONDS = 120
RETRY_STATUSES = (429, 500, 502, 503, 504)
SIDECAR_SUFFIX = ".meta.json"
SECRET_QUERY_KEYS = ("key", "token", "password", "access_token")


class ApiError(RuntimeError):
    """An API call failed; the message names the URL (secrets removed) and the status."""


class MissingCredentials(ApiError):
    """A required environment variable is not set."""


def env_credential(name: str) -> str:
    """Read a credential from the environment, failing with the variable's name (not value).

    Parameters
    ----------
    name : str
        The environment variable.

    Returns
    -------
    str
        Its (stripped) value.
    """
    value = os.environ.get(name, "").strip()
    if not value:
        raise MissingCredentials(
            f"environment variable {name} is not set; export it in the shell that starts "
            "Jupyter (credentials are never read from notebooks or parameter files)"
        )
    return value


def safe_url(url: str) -> str:
    """The URL with secret-looking query values replaced, for messages and sidecars.

    Parameters
    ----------
    url : str
        A URL that may carry secrets in its query.

    Returns
    -------
    str
        The URL with those values shown as '***'.
    """
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    cleaned = [(k, "***" if k.lower() in SECRET_QUERY_KEYS else v) for k, v in query]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(cleaned)))


def with_query(url: str, params: Mapping[str, Any]) -> str:
    """Append query parameters to a URL. '|' is kept literal because ACLED's range syntax
    (event_date=A|B) expects it.

    Parameters
    ----------
    url : str
        The base URL (may already have a query).
    params : mapping
        Parameters to append.

    Returns
    -------
    str
        The URL with the parameters.
    """
    if not params:
        return url
    encoded = urllib.parse.urlencode({k: str(v) for k, v in params.items()}, safe="|:")
    return f"{url}{'&' if '?' in url else '?'}{encoded}"


def request_json(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    retries: int = 2,
    backoff_seconds: float = 1.0,
) -> Any:
    """GET (or POST ``form`` url-encoded) and decode a JSON response.

    Retries rate-limit and server errors with exponential backoff. Error messages carry the
    status and the cleaned URL but never the request headers or body, which may hold tokens.

    Parameters
    ----------
    url : str
        The URL.
    headers : mapping, optional
        Extra request headers.
    form : mapping, optional
        Fields to POST url-encoded; GET when None.
    timeout : float, optional
        Seconds per attempt.
    retries : int, default 2
        Further attempts after a retryable failure.
    backoff_seconds : float, default 1.0
        First wait between attempts (doubled each time).

    Returns
    -------
    Any
        The decoded JSON.
    """
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request_headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
    if data is not None:
        request_headers["Content-Type"] = "application/x-www-form-urlencoded"
    for attempt in range(retries + 1):
        request = urllib.request.Request(url, data=data, headers=request_headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                payload = response.read()
            break
        except urllib.error.HTTPError as exc:
            if exc.code in RETRY_STATUSES and attempt < retries:
                time.sleep(backoff_seconds * 2**attempt)
                continue
            raise ApiError(f"{safe_url(url)} answered HTTP {exc.code} ({exc.reason})") from None
        except urllib.error.URLError as exc:
            if attempt < retries:
                time.sleep(backoff_seconds * 2**attempt)
                continue
            raise ApiError(f"cannot reach {safe_url(url)}: {exc.reason}") from None
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(f"{safe_url(url)} did not return JSON ({exc})") from None


def access_timestamp() -> str:
    """Current UTC time in ISO form, recorded as the access date of a pull.

    Returns
    -------
    str
        ISO timestamp, seconds precision.
    """
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def sidecar_path(data_path: Path) -> Path:
    """Sidecar file next to a raw pull: ``<name><ext>.meta.json``.

    Parameters
    ----------
    data_path : pathlib.Path
        The raw pull.

    Returns
    -------
    pathlib.Path
        Its sidecar's path.
    """
    return data_path.with_name(data_path.name + SIDECAR_SUFFIX)


def write_sidecar(data_path: Path, meta: Mapping[str, Any], secrets: Iterable[str]) -> Path:
    """Write the pull's metadata as JSON next to it, refusing if any secret would be written.

    Parameters
    ----------
    data_path : pathlib.Path
        The raw pull.
    meta : mapping
        The metadata to record.
    secrets : iterable of str
        Credentials that must not appear in the file.

    Returns
    -------
    pathlib.Path
        The sidecar written.
    """
    text = json.dumps(dict(meta), indent=2, sort_keys=True, default=str)
    assert_no_secrets(text, secrets, where=str(sidecar_path(data_path)))
    path = sidecar_path(data_path)
    write_text_atomic(path, text + "\n")
    return path


def read_sidecar(data_path: Path) -> dict[str, Any]:
    """The metadata written next to a raw pull.

    Parameters
    ----------
    data_path : pathlib.Path
        The raw pull.

    Returns
    -------
    dict
        The recorded metadata.
    """
    return json.loads(sidecar_path(data_path).read_text(encoding="utf-8"))


def assert_no_secrets(text: str, secrets: Iterable[str], where: str) -> None:
    """Raise if any (non-empty) secret occurs in ``text``; the secret itself is not shown.

    Parameters
    ----------
    text : str
        What is about to be written.
    secrets : iterable of str
        Credentials that must not appear.
    where : str
        The destination, for the message.

    Returns
    -------
    None
    """
    if any(secret and secret in text for secret in secrets):
        raise ApiError(f"refusing to write {where}: it would contain a credential")


def write_text_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so readers never see half a file.

    Parameters
    ----------
    path : pathlib.Path
        The destination.
    text : str
        The content (UTF-8).

    Returns
    -------
    None
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
