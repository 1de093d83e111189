"""The studio's web layer (Starlette): pages, audio and the small JSON API the page calls.

Safe by default: it listens on 127.0.0.1 only; a request whose Host (or
Origin, when sent) is not this server's own is refused, which defeats DNS
rebinding; every write needs the per-session token the page was served with;
audio is made from the book's own lines only, never read from a path in a URL.
"""

from __future__ import annotations

import colorsys
import hashlib
import re
import secrets
import socket
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from audiobook.errors import AudiobookError, InputError
from audiobook.model import NARRATOR
from audiobook.studio.session import UNSURE, Session, is_unsure

HERE = Path(__file__).parent
TOKEN_HEADER = "x-studio-token"
_LINE_ID = re.compile(r"q-[0-9a-f]{8}(?:-[0-9]+)?")
_SAFE_METHODS = {"GET", "HEAD"}


class Guard:
    """ASGI middleware: own Host and Origin only; writes carry the session token."""

    def __init__(self, app: ASGIApp, port: int, token: str) -> None:
        self.app = app
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        problem = None
        if headers.get("host", "") not in self.hosts:
            problem = "unknown Host: this studio answers only to its own address"
        elif "origin" in headers and headers["origin"] not in self.origins:
            problem = "cross-origin request refused"
        elif scope["method"] not in _SAFE_METHODS and not secrets.compare_digest(
            headers.get(TOKEN_HEADER, ""), self.token
        ):
            problem = "missing or wrong session token"
        if problem is not None:
            await PlainTextResponse(problem, status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


# Distinct, readable on white, in the order speakers are listed (most lines first).
PALETTE = (
    "#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#c2410c", "#0e7490",
    "#be185d", "#4d7c0f", "#a16207", "#4338ca", "#9f1239", "#0f766e",
)  # fmt: skip
NARRATOR_COLOUR = "#6b7280"


def speaker_colours(names: list[str]) -> dict[str, str]:
    """A colour per speaker: the palette in cast order, then a hue from the name's hash."""
    out = {NARRATOR: NARRATOR_COLOUR}
    others = [n for n in names if n != NARRATOR]
    for i, name in enumerate(others):
        if i < len(PALETTE):
            out[name] = PALETTE[i]
        else:
            hue = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:4], 16) / 0xFFFF
            r, g, b = colorsys.hls_to_rgb(hue, 0.38, 0.65)
            out[name] = f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"
    return out


def create_app(session: Session, port: int, token: str) -> ASGIApp:
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    def page(request: Request) -> Response:
        index = int(request.path_params["number"]) - 1
        unsure_only = request.query_params.get("unsure") == "1"
        try:
            chapter = session.chapter(index)
        except InputError:
            return PlainTextResponse("no such chapter", status_code=404)
        rows = []
        for seg in chapter.segments:
            unsure = is_unsure(seg)
            if unsure_only and not unsure:
                continue
            rows.append({"seg": seg, "unsure": unsure})
        speakers = session.speakers()
        colours = speaker_colours([s["name"] for s in speakers])
        context: dict[str, Any] = {
            "colour": lambda name: colours.get(name or NARRATOR, NARRATOR_COLOUR),
            "token": token,
            "chapters": session.chapters(),
            "current": index,
            "chapter": chapter.chapter,
            "rows": rows,
            "unsure_only": unsure_only,
            "speakers": speakers,
            "keys": {s["name"]: str(n) for n, s in enumerate(speakers[:9], 1)},
            "voices": session.voices(),
            "cast_path": session.cast_path,
            "outdir": session.outdir,
            "warnings": session.warnings(),
            "threshold": UNSURE,
        }
        return templates.TemplateResponse(request, "chapter.html", context)

    def home(request: Request) -> Response:
        return RedirectResponse("/chapter/1", status_code=303)

    def line_audio(request: Request) -> Response:
        line = request.path_params["line"]
        if not _LINE_ID.fullmatch(line):
            return PlainTextResponse("no such line", status_code=404)
        try:
            data = session.line_audio(line)
        except InputError as exc:
            return PlainTextResponse(str(exc), status_code=404)
        return Response(data, media_type="audio/mpeg", headers={"Cache-Control": "no-store"})

    def audition(request: Request) -> Response:
        name = request.query_params.get("name", "")
        voice = request.query_params.get("voice", "")
        try:
            data = session.audition(name, voice)
        except AudiobookError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        return Response(data, media_type="audio/mpeg", headers={"Cache-Control": "no-store"})

    async def api(request: Request) -> Response:
        action = request.path_params["action"]
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "the request body must be JSON"}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "the request body must be an object"}, status_code=400)
        from starlette.concurrency import run_in_threadpool

        try:
            await run_in_threadpool(_apply, session, action, body)
        except (AudiobookError, KeyError, TypeError) as exc:
            return JSONResponse({"error": _message(exc)}, status_code=400)
        return JSONResponse({"ok": True})

    def build_status(request: Request) -> Response:
        state = session.build
        return JSONResponse(
            {
                "running": state.running,
                "stage": state.stage,
                "clips_total": state.clips_total,
                "clips_cached": state.clips_cached,
                "clips_done": state.clips_done,
                "files_total": state.files_total,
                "files_done": state.files_done,
                "files_written": state.files_written,
                "files_kept": state.files_kept,
                "error": state.error,
                "summary": state.summary,
            }
        )

    def build_start(request: Request) -> Response:
        started = session.start_build()
        return JSONResponse({"ok": started, "running": True})

    routes = [
        Route("/", home),
        Route("/chapter/{number:int}", page),
        Route("/audio/line/{line}.mp3", line_audio),
        Route("/audio/audition.mp3", audition),
        Route("/api/build", build_status, methods=["GET"]),
        Route("/api/build", build_start, methods=["POST"]),
        Route("/api/{action}", api, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Guard(Starlette(routes=routes), port, token)


def _apply(session: Session, action: str, body: dict) -> None:
    def text(key: str) -> str:
        value = body[key]
        if not isinstance(value, str):
            raise InputError(f"{key} must be text")
        return value

    if action == "line":
        speaker = body.get("speaker")
        session.assign(text("line"), speaker if isinstance(speaker, str) else None)
    elif action == "merge":
        session.merge(text("source"), text("into"))
    elif action == "voice":
        session.set_voice(text("name"), text("voice"))
    elif action == "gender":
        session.set_gender(text("name"), body.get("gender") or None)
    elif action == "rename":
        session.rename(text("name"), text("new"))
    else:
        raise InputError(f"unknown action {action!r}")


def _message(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc.args[0]!r} in the request"
    return str(exc)


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: any free one)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise InputError(
            f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose another --port"
        ) from None
    sock.listen(64)
    return sock


def serve(session: Session, sock: socket.socket, on_ready=None) -> None:
    """Serve until Ctrl-C (or SIGTERM); ``on_ready(url)`` runs once the server listens."""
    import uvicorn

    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(32)
    app = create_app(session, port, token)
    config = uvicorn.Config(app, log_level="error", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    if on_ready is not None:
        import threading
        import time

        def wait_and_tell() -> None:
            while not server.started and not server.should_exit:
                time.sleep(0.05)
            if server.started:
                on_ready(f"http://127.0.0.1:{port}/")

        threading.Thread(target=wait_and_tell, daemon=True).start()
    server.run(sockets=[sock])
