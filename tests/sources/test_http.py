"""API clients against a real HTTP server on 127.0.0.1 serving fixture pages.

The server checks what the real APIs require (OAuth password grant, bearer token, ACLED's
date-range filter, UCDP's token header) and records every request, so the tests see the
paging actually happen. Sentinel credentials must never reach any written file or log.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from analysis import contract as c
from analysis.sources import acled, http, ucdp

FIXTURES = Path(__file__).parent.parent / "fixtures"
EMAIL = "sentinel-user-7f3a@example.org"
PASSWORD = "sentinel-pass-Q9x!2z"
ACLED_TOKEN = "sentinel-acled-token-c0ffee"
UCDP_TOKEN = "sentinel-ucdp-token-beef42"
SENTINELS = (EMAIL, PASSWORD, ACLED_TOKEN, UCDP_TOKEN, "c2VudGluZWw")


class FixtureApi(BaseHTTPRequestHandler):
    """Minimal stand-in for the ACLED and UCDP endpoints."""

    requests: list[tuple[str, str, dict]] = []

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, body: object) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        self.requests.append(("POST", self.path, {}))
        ok = form == {
            "username": EMAIL,
            "password": PASSWORD,
            "grant_type": "password",
            "client_id": "acled",
        }
        if self.path != "/oauth/token" or not ok:
            self._send(401, {"error": "invalid_grant"})
            return
        self._send(200, {"token_type": "Bearer", "expires_in": 86400, "access_token": ACLED_TOKEN})

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        self.requests.append(("GET", parts.path, query))
        if parts.path == "/api/acled/read":
            if self.headers.get("Authorization") != f"Bearer {ACLED_TOKEN}":
                self._send(403, {"error": "forbidden"})
                return
            expected = {"event_date": "2025-05-01|2025-05-31", "event_date_where": "BETWEEN"}
            if any(query.get(k) != v for k, v in expected.items()) or query["country"] != "Myanmar":
                self._send(400, {"error": "bad filters"})
                return
            page = FIXTURES / "acled" / f"api_page_{query['page']}.json"
            body = json.loads(page.read_text()) if page.exists() else {"data": []}
            body["data"] = body["data"][: int(query["limit"])]
            self._send(200, body)
        elif parts.path == "/api/gedevents/25.1":
            if self.headers.get("x-ucdp-access-token") != UCDP_TOKEN:
                self._send(401, {"error": "token"})
                return
            page = FIXTURES / "ucdp" / f"api_page_{query['page']}.json"
            base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
            self._send(200, json.loads(page.read_text().replace("{BASE}", base)))
        else:
            self._send(404, {"error": "not found"})


@pytest.fixture
def server() -> Iterator[str]:
    FixtureApi.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FixtureApi)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACLED_EMAIL", EMAIL)
    monkeypatch.setenv("ACLED_PASSWORD", PASSWORD)
    monkeypatch.setenv("UCDP_API_TOKEN", UCDP_TOKEN)


def _assert_no_sentinel_in(folder: Path, *texts: str) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes().decode("utf-8", errors="replace")
            for secret in SENTINELS:
                assert secret not in content, f"credential leaked into {path.name}"
    for text in texts:
        for secret in SENTINELS:
            assert secret not in text


def test_acled_pull_pages_writes_sidecar_and_loads(
    server: str,
    credentials: None,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    out = acled.fetch_acled(
        "Myanmar",
        "2025-05-01",
        "2025-05-31",
        out_dir=tmp_path / "raw",
        base_url=server,
        page_size=5,
    )
    pages = [q["page"] for m, p, q in FixtureApi.requests if p == "/api/acled/read"]
    assert pages == ["1", "2"]  # 5 rows, then 3 (< limit) ends the paging
    assert out.name == "acled_myanmar_2025-05-01_2025-05-31.json"
    meta = http.read_sidecar(out)
    assert meta["rows"] == 8 and meta["pages"] == 2
    assert meta["max_timestamp"] == 1747700700  # newest timestamp in the fixture pages
    assert meta["filters"]["event_date"] == "2025-05-01|2025-05-31"
    assert meta["accessed_utc"]
    events = acled.load_acled(out, cache_dir=tmp_path / "cache")
    assert len(events) == 8 and (events[c.EV_SOURCE] == "acled").all()
    captured = capsys.readouterr()
    _assert_no_sentinel_in(tmp_path, caplog.text, captured.out, captured.err)


def test_acled_rejected_credentials_do_not_leak(
    server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ACLED_EMAIL", EMAIL)
    monkeypatch.setenv("ACLED_PASSWORD", PASSWORD + "-wrong")
    with pytest.raises(http.ApiError) as info:
        acled.fetch_acled("Myanmar", "2025-05-01", "2025-05-31", tmp_path, server, 5)
    assert "401" in str(info.value)
    assert PASSWORD not in str(info.value) and EMAIL not in str(info.value)
    assert not any(tmp_path.iterdir())


def test_missing_credentials_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ACLED_EMAIL", raising=False)
    with pytest.raises(http.MissingCredentials, match="ACLED_EMAIL"):
        acled.fetch_acled("Myanmar", "2025-05-01", "2025-05-31", tmp_path, "http://127.0.0.1:9")
    monkeypatch.delenv("UCDP_API_TOKEN", raising=False)
    with pytest.raises(http.MissingCredentials, match="UCDP_API_TOKEN"):
        ucdp.fetch_ged("25.1", out_dir=tmp_path, base_url="http://127.0.0.1:9")


def test_ucdp_pull_follows_next_page_and_loads(
    server: str, credentials: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ucdp.fetch_ged(
        "25.1", "2021-01-01", "2022-12-31", out_dir=tmp_path / "raw", base_url=server, page_size=2
    )
    pages = [q["page"] for m, p, q in FixtureApi.requests if p == "/api/gedevents/25.1"]
    assert pages == ["0", "1"]
    first = [q for m, p, q in FixtureApi.requests if p == "/api/gedevents/25.1"][0]
    assert first["Country"] == "775" and first["StartDate"] == "2021-01-01"
    meta = http.read_sidecar(out)
    assert meta["rows"] == 4 and meta["pages"] == 2 and meta["version"] == "25.1"
    events = ucdp.load_ged(out, cache_dir=False)
    assert sorted(events[c.EV_ID]) == [f"ucdp_ged-40000{i}" for i in range(1, 5)]
    # the API's '2021-05-03T00:00:00' dates parse to the day
    assert events[c.EV_DATE].min().isoformat() == "2021-05-03T00:00:00"
    captured = capsys.readouterr()
    _assert_no_sentinel_in(tmp_path, captured.out, captured.err)


def test_sidecar_refuses_to_store_a_secret(tmp_path: Path) -> None:
    with pytest.raises(http.ApiError, match="credential"):
        http.write_sidecar(tmp_path / "x.json", {"filters": {"key": PASSWORD}}, [PASSWORD])
    assert not any(tmp_path.iterdir())


def test_safe_url_hides_secret_query_values() -> None:
    cleaned = http.safe_url(f"https://example.org/read?country=Myanmar&key={PASSWORD}")
    assert PASSWORD not in cleaned and "country=Myanmar" in cleaned
