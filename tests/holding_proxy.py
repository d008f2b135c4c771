"""A loopback HTTP proxy in front of a triplestore that passes every request on, but holds the
first one whose (decoded) body contains a marker until the test ends: a citykg process writing
through it can be killed at a chosen point of its writes, deterministically."""

from __future__ import annotations

import dataclasses
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

import httpx

from triplestores import StoreUnderTest, Triplestore

_HOP = {"host", "content-length", "connection", "transfer-encoding", "keep-alive"}


class HoldingProxy:
    """`with HoldingProxy(server, hold="...") as proxy:`; `proxy.held` is set once it holds."""

    def __init__(self, server: Triplestore, *, hold: str) -> None:
        self.server = server
        self.hold = hold
        self.held = threading.Event()
        self._release = threading.Event()
        upstream = urlsplit(server.query_url)
        self._upstream = f"{upstream.scheme}://{upstream.netloc}"
        self._http = httpx.Client(timeout=120, trust_env=False)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy._forward(self)

            def do_POST(self) -> None:
                proxy._forward(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.address = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> HoldingProxy:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._http.close()

    def location(self, folder: Path, under_test: StoreUnderTest) -> str:
        """What `--store` is given to reach the server through the proxy."""
        proxied = dataclasses.replace(
            self.server,
            query_url=self._here(self.server.query_url),
            update_url=self._here(self.server.update_url),
            graph_store_url=self._here(self.server.graph_store_url),
        )
        if self.server.user is None:
            return f"sparql+{proxied.query_url}"
        folder = folder / "through-the-proxy"  # beside, not over, the store's own config file
        folder.mkdir(exist_ok=True)
        return StoreUnderTest(under_test.kind, "", proxied).config(folder)

    def _here(self, url: str) -> str:
        return self.address + url[len(self._upstream) :]

    def _forward(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("content-length") or 0)
        body = request.rfile.read(length) if length else b""
        if not self.held.is_set() and self.hold in unquote_plus(body.decode("utf-8", "replace")):
            self.held.set()
            self._release.wait()  # never passed on: the writer is killed meanwhile
            return
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        answer = self._http.request(
            request.command, self._upstream + request.path, content=body, headers=headers
        )
        request.send_response(answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in _HOP and key.lower() != "content-encoding":
                request.send_header(key, value)
        request.send_header("Content-Length", str(len(answer.content)))
        request.end_headers()
        request.wfile.write(answer.content)
