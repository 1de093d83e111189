"""The studio's safety, over real HTTP against the real command: own Host and Origin
only, writes need the session token, no file outside the book's audio, one studio per
cast file, Ctrl-C stops it cleanly."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from studio_run import ROOT, Studio

BOOK = Path(__file__).parent / "data" / "studio" / "book.txt"
pytestmark = [pytest.mark.slow, pytest.mark.processes]


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("studio-server")
    shutil.copy(BOOK, tmp / "book.txt")
    running = Studio(tmp / "book.txt", tmp / "cast.toml", tmp).start()
    yield running
    running.stop()


def request(studio, method, path, body=None, **headers) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", studio.port, timeout=60)
    headers.setdefault("Host", f"127.0.0.1:{studio.port}")
    data = json.dumps(body).encode() if body is not None else None
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def token(studio) -> str:
    status, page = request(studio, "GET", "/chapter/1")
    assert status == 200
    text = page.decode()
    return text.split('name="studio-token" content="', 1)[1].split('"', 1)[0]


def a_line(studio) -> str:
    page = request(studio, "GET", "/chapter/1")[1].decode()
    return page.split('data-line="', 1)[1].split('"', 1)[0]


def test_pages_answer_only_to_their_own_host(studio):
    assert request(studio, "GET", "/chapter/1")[0] == 200
    assert request(studio, "GET", "/chapter/1", Host=f"localhost:{studio.port}")[0] == 200
    # DNS rebinding: a hostile name resolved to 127.0.0.1 still says so in Host.
    status, body = request(studio, "GET", "/chapter/1", Host=f"evil.example:{studio.port}")
    assert status == 403 and b"Host" in body
    assert request(studio, "GET", "/chapter/1", Host="127.0.0.1:1")[0] == 403


def test_writes_need_the_session_token_and_the_own_origin(studio):
    line = a_line(studio)
    body = {"line": line, "speaker": "Anna"}
    assert request(studio, "POST", "/api/line", body)[0] == 403
    assert request(studio, "POST", "/api/line", body, **{"X-Studio-Token": "guess"})[0] == 403
    good = {"X-Studio-Token": token(studio)}
    status, _ = request(studio, "POST", "/api/line", body, Origin="http://evil.example", **good)
    assert status == 403
    assert not studio.cast.exists()  # nothing refused was written
    origin = f"http://127.0.0.1:{studio.port}"
    status, reply = request(studio, "POST", "/api/line", body, Origin=origin, **good)
    assert status == 200 and json.loads(reply) == {"ok": True}
    assert tomllib.loads(studio.cast.read_text(encoding="utf-8"))["lines"] == {line: "Anna"}
    status, reply = request(studio, "POST", "/api/line", {"line": "q-00000000"}, **good)
    assert status == 400 and "no line" in json.loads(reply)["error"]


def test_no_file_outside_the_books_audio_is_served(studio):
    for path in (
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/session.py",
        "/static/..%2f..%2fcli%2fapp.py",
        "/audio/line/..%2f..%2fetc%2fpasswd.mp3",
        "/audio/line/q-1234.mp3",
        "/etc/passwd",
    ):
        status, body = request(studio, "GET", path)
        assert status == 404, path
        assert b"root:" not in body and b"import" not in body
    status, body = request(studio, "GET", "/static/studio.js")
    assert status == 200 and b"X-Studio-Token" in body


def test_it_listens_on_loopback_only(studio):
    # The kernel's table of listening sockets: the studio's port is bound to 127.0.0.1.
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, port = local.rsplit(":", 1)
            if state == "0A" and int(port, 16) == studio.port:
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, little-endian; no 0.0.0.0, no IPv6


def test_a_second_studio_on_the_same_cast_file_is_refused(studio):
    done = subprocess.run(
        Studio(studio.book, studio.cast, studio.tmp).command(),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Error: another studio is already editing")
    assert len(done.stderr.strip().splitlines()) == 1


def test_ctrl_c_stops_it_cleanly_and_frees_the_cast_file(tmp_path):
    shutil.copy(BOOK, tmp_path / "book.txt")
    first = Studio(tmp_path / "book.txt", tmp_path / "cast.toml", tmp_path).start()
    assert first.interrupt() == 130
    assert "Traceback" not in first.stderr() and "Error" not in first.stderr()
    again = Studio(tmp_path / "book.txt", tmp_path / "cast.toml", tmp_path).start()
    assert again.interrupt() == 130


def test_a_missing_manuscript_is_one_error_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", "studio", str(tmp_path / "nope.txt"), "--no-browser"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Error:") and len(done.stderr.strip().splitlines()) == 1


def test_ctrl_c_during_a_build_stops_it_and_keeps_no_half_file(tmp_path):
    # A longer book and a cold cache: the build is still rendering when Ctrl-C comes.
    text = BOOK.read_text(encoding="utf-8")
    book = tmp_path / "long.txt"
    book.write_text(
        "\n\n".join(
            text.replace("Chapter 1", f"Chapter {2 * n + 1}").replace(
                "Chapter 2", f"Chapter {2 * n + 2}"
            )
            for n in range(4)
        ),
        encoding="utf-8",
    )
    studio = Studio(book, tmp_path / "cast.toml", tmp_path).start()
    good = {"X-Studio-Token": token(studio)}
    assert request(studio, "POST", "/api/build", {}, **good)[0] == 200
    deadline = time.monotonic() + 60
    state: dict = {}
    while time.monotonic() < deadline:
        state = json.loads(request(studio, "GET", "/api/build")[1])
        if state["stage"] == "rendering" or not state["running"]:
            break
        time.sleep(0.05)
    assert state["running"] and state["stage"] == "rendering"
    started = time.monotonic()
    assert studio.interrupt(timeout=60) == 130
    assert time.monotonic() - started < 30
    assert "Traceback" not in studio.stderr()
    out = tmp_path / "out"
    assert not (out / "manifest.json").exists()  # the build did not finish...
    assert not [p for p in out.glob("*") if p.suffix == ".mp3"]  # ...and left no half file
