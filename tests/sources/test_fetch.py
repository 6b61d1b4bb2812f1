"""Bulk UCDP downloads against a local HTTP server on 127.0.0.1 serving files we build here.

The served zip has UCDP's layout (``ged<NN>-csv/GEDEvent_v<NN>_<N>.csv``, the real 49-column
header of tests/fixtures/ucdp/ged_myanmar_sample.csv) with invented rows for two countries. The
daily aggregate is compared against a plain-pandas groupby of the served CSV. Any connection to
a host other than 127.0.0.1 fails the test.
"""

from __future__ import annotations

import csv
import hashlib
import io
import socket
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from analysis.sources import fetch
from analysis.sources.http import read_sidecar
from analysis.sources.ucdp_daily import load_ucdp_daily

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "ucdp" / "ged_myanmar_sample.csv"
MYANMAR = "Myanmar (Burma)"
GOV = "Government of Myanmar (Burma)"
KEYS = ["date", "adm_1", "type_of_violence", "side_a", "side_b"]


def ged_header() -> list[str]:
    with open(FIXTURE, encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def ged_csv_text() -> str:
    """Invented events: repeated cells, a blank adm_1, a headline with a line break, and a
    second country that must not reach the Myanmar aggregate."""
    header = ged_header()
    # (country, date_start, adm_1, type, side_a, side_b, best, civilians)
    events = [
        (MYANMAR, "2025-04-01 00:00:00.000", "Sagaing region", 1, GOV, "PDF", 3, 0),
        (MYANMAR, "2025-04-01 00:00:00.000", "Sagaing region", 1, GOV, "PDF", 4, 1),
        (MYANMAR, "2025-04-01 00:00:00.000", "Sagaing region", 3, GOV, "Civilians", 5, 5),
        (MYANMAR, "2025-04-01 00:00:00.000", "", 1, GOV, "KIO", 2, 0),
        (MYANMAR, "2025-04-02 00:00:00.000", "Rakhine state", 1, GOV, "AA", 7, 2),
        (MYANMAR, "2025-04-02 00:00:00.000", "Rakhine state", 1, GOV, "AA", 0, 0),
        (MYANMAR, "2025-04-03 00:00:00.000", "", 2, "KNU", "DKBA 5", 1, 0),
        (MYANMAR, "2025-04-03 00:00:00.000", "", 2, "KNU", "DKBA 5", 6, 3),
        ("Thailand", "2025-04-01 00:00:00.000", "Yala province", 3, "BRN", "Civilians", 9, 9),
        ("Thailand", "2025-04-02 00:00:00.000", "Yala province", 3, "BRN", "Civilians", 1, 1),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for number, (country, day, adm1, kind, side_a, side_b, best, civ) in enumerate(events, 1):
        row = dict.fromkeys(header, "")
        row.update(
            id=str(900000 + number), year="2025", type_of_violence=str(kind), side_a=side_a,
            side_b=side_b, source_headline="Invented\nheadline, with a comma", adm_1=adm1,
            latitude="20.0", longitude="96.0", country=country, date_prec="1",
            date_start=day, date_end=day, best=str(best), high=str(best), low=str(best),
            deaths_civilians=str(civ),
        )  # fmt: skip
        writer.writerow([row[col] for col in header])
    return out.getvalue()


def ged_zip_bytes(csv_text: str, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr("ged261-csv/GEDEvent_v26_1.csv", csv_text)
    return buffer.getvalue()


class Handler(BaseHTTPRequestHandler):
    """Serves ``routes``: path -> (body, bytes actually sent); counts requests per path."""

    routes: dict[str, tuple[bytes, int]] = {}
    hits: dict[str, int] = {}
    timeout = 5

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        if self.path not in self.routes:
            self.send_error(404)
            return
        body, sent = self.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:sent])
        self.wfile.flush()
        if sent < len(body):
            # Drop the connection half-way, as a broken download does.
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A local server on 127.0.0.1; its root is set as UCDP_DOWNLOAD_BASE_URL."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    real_connect = socket.create_connection

    def local_only(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert address[0] == "127.0.0.1", f"test tried to reach {address[0]}"
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", local_only)
    Handler.routes, Handler.hits = {}, {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    root = f"http://127.0.0.1:{httpd.server_address[1]}/downloads"
    monkeypatch.setenv(fetch.BASE_URL_ENV, root)
    try:
        yield root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def serve(path: str, body: bytes, sent: int | None = None) -> None:
    Handler.routes[path] = (body, len(body) if sent is None else sent)


def plain_daily(csv_text: str, country: str) -> pd.DataFrame:
    """The aggregate by plain pandas, independently of the loader."""
    frame = pd.read_csv(io.StringIO(csv_text), keep_default_na=False, dtype=str)
    frame = frame[frame["country"] == country]
    grouped = (
        frame.assign(
            date=frame["date_start"].str[:10],
            type_of_violence=frame["type_of_violence"].astype(int),
            best=frame["best"].astype(int),
            deaths_civilians=frame["deaths_civilians"].astype(int),
        )
        .groupby(KEYS)
        .agg(
            events=("id", "size"),
            deaths_best=("best", "sum"),
            deaths_civilians=("deaths_civilians", "sum"),
        )
        .reset_index()
    )
    return grouped.sort_values(KEYS, ignore_index=True)


def files_under(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


def test_release_urls_follow_ucdp_pattern() -> None:
    root = "https://example.invalid/downloads"
    assert fetch.release_url("ged", "26.1", root) == f"{root}/ged/ged261-csv.zip"
    assert (
        fetch.release_url("candidate", "25.0.12", root)
        == f"{root}/candidateged/GEDEvent_v25_0_12.csv"
    )
    with pytest.raises(ValueError, match="not a UCDP version"):
        fetch.release_url("ged", "2026", root)


def test_ged_download_lands_with_bytes_sidecar_and_aggregate(server: str, tmp_path: Path) -> None:
    text = ged_csv_text()
    body = ged_zip_bytes(text)
    serve("/downloads/ged/ged261-csv.zip", body)
    out = tmp_path / "ucdp"
    code = fetch.main(["ged", "--version", "26.1", "--country", MYANMAR, "--out-dir", str(out)])
    assert code == 0
    zip_path = out / "ged261-csv.zip"
    assert zip_path.read_bytes() == body
    meta = read_sidecar(zip_path)
    assert meta["sha256"] == hashlib.sha256(body).hexdigest()
    assert meta["size_bytes"] == len(body)
    assert (out / "GEDEvent_v26_1.csv").read_text(encoding="utf-8") == text
    daily_path = out / "ucdp_ged_261_myanmar_burma_daily.csv"
    written = pd.read_csv(daily_path, keep_default_na=False, dtype={"adm_1": str})
    got = written.sort_values(KEYS, ignore_index=True)
    pd.testing.assert_frame_equal(got, plain_daily(text, MYANMAR), check_dtype=False)
    # The notebooks' reader accepts it, and the Thai events stayed out.
    assert int(load_ucdp_daily(daily_path)["events"].sum()) == 8
    assert not list(out.glob("*.part"))


def test_candidate_csv_download(server: str, tmp_path: Path) -> None:
    body = ged_csv_text().encode()
    serve("/downloads/candidateged/GEDEvent_v25_0_12.csv", body)
    result = fetch.fetch_release("candidate", "25.0.12", "Thailand", out_dir=tmp_path)
    assert result.download.read_bytes() == body
    assert result.csv_path == result.download
    assert (result.daily_rows, result.daily_events) == (2, 2)


def test_existing_complete_file_is_not_downloaded_again(server: str, tmp_path: Path) -> None:
    path = "/downloads/ged/ged261-csv.zip"
    serve(path, ged_zip_bytes(ged_csv_text()))
    first = fetch.fetch_release("ged", "26.1", out_dir=tmp_path)
    second = fetch.fetch_release("ged", "26.1", out_dir=tmp_path)
    assert (first.downloaded, second.downloaded, Handler.hits[path]) == (True, False, 1)
    forced = fetch.fetch_release("ged", "26.1", out_dir=tmp_path, force=True)
    assert (forced.downloaded, Handler.hits[path]) == (True, 2)


def test_changed_file_is_detected_and_downloaded_again(server: str, tmp_path: Path) -> None:
    path = "/downloads/ged/ged261-csv.zip"
    body = ged_zip_bytes(ged_csv_text())
    serve(path, body)
    fetch.fetch_release("ged", "26.1", out_dir=tmp_path)
    (tmp_path / "ged261-csv.zip").write_bytes(body[:-10])
    again = fetch.fetch_release("ged", "26.1", out_dir=tmp_path)
    assert again.downloaded and (tmp_path / "ged261-csv.zip").read_bytes() == body


@pytest.mark.parametrize(
    ("case", "message"),
    [("short", "broke off|incomplete"), ("corrupt", "CRC|damaged"), ("sha", "SHA-256")],
)
def test_failed_download_leaves_nothing(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, message: str
) -> None:
    body = ged_zip_bytes(ged_csv_text(), compression=zipfile.ZIP_STORED)
    extra: list[str] = []
    if case == "short":
        serve("/downloads/ged/ged261-csv.zip", body, sent=len(body) // 2)
    elif case == "corrupt":
        middle = len(body) // 2
        broken = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]
        serve("/downloads/ged/ged261-csv.zip", broken)
    else:
        serve("/downloads/ged/ged261-csv.zip", body)
        extra = ["--sha256", "0" * 64]
    out = tmp_path / "ucdp"
    code = fetch.main(
        ["ged", "--version", "26.1", "--country", MYANMAR, "--out-dir", str(out)] + extra
    )
    assert code == fetch.EXIT_DOWNLOAD
    assert files_under(out) == []
    err = capsys.readouterr().err
    assert err.startswith("error: ") and pd.Series([err]).str.contains(message).item()


def test_unknown_country_names_the_choices(server: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    serve("/downloads/ged/ged261-csv.zip", ged_zip_bytes(ged_csv_text()))
    code = fetch.main(
        ["ged", "--version", "26.1", "--country", "Burma", "--out-dir", str(tmp_path)]
    )
    assert code == fetch.EXIT_DATA
    assert "no events for country 'Burma'" in capsys.readouterr().err


def test_missing_release_is_a_clear_error(server: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = fetch.main(["ged", "--version", "30.1", "--out-dir", str(tmp_path)])
    assert code == fetch.EXIT_DOWNLOAD
    assert "HTTP 404" in capsys.readouterr().err
    assert files_under(tmp_path) == []
