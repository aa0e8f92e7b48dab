"""`pufa serve --python`: Python's HTTP server with the precompressed files and the 404 page,
for a machine without nginx. Its own module, so the `pufa` command does not import it."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript; charset=utf-8",
        ".json": "application/json; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".svg": "image/svg+xml",
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        # Serve the precompressed variant when the client accepts gzip (like gzip_static).
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gz = path.with_name(path.name + ".gz")
        if "gzip" in self.headers.get("Accept-Encoding", "") and gz.is_file() and path.is_file():
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(gz.stat().st_size))
            self.end_headers()
            return gz.open("rb")
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def make_server(
    site: Path, host: str = "127.0.0.1", port: int = 8000
) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Handler, directory=str(site))
    return http.server.ThreadingHTTPServer((host, port), handler)


__all__ = ["make_server"]
