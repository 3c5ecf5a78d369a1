"""The caching tile proxy: tiles reach the browser only from our origin, fetched from the one
configured upstream (here a real local HTTP server on 127.0.0.1), kept in storage, and a 404
when no upstream is configured."""

import http.server
import io
import threading

import pytest
from django.core.files.storage import default_storage
from PIL import Image


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def upstream():
    """A fake tile server: answers a PNG for /z/x/y.png and records what it was sent."""
    seen = []
    png = _png()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append({"path": self.path, "headers": dict(self.headers)})
            if self.path == "/bad/1/0/0.png":
                body, kind = b"<html>not a tile</html>", "text/html"
            else:
                body, kind = png, "image/png"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", seen, png
    server.shutdown()


@pytest.mark.django_db
def test_a_tile_is_fetched_once_without_cookies_and_kept(client, settings, upstream):
    base, seen, png = upstream
    settings.MAP_TILE_UPSTREAM = base + "/{z}/{x}/{y}.png"
    client.cookies["sessionid"] = "secret-session"

    first = client.get("/kartor/15/17800/9100.png", HTTP_REFERER="https://example.se/p/x/")
    second = client.get("/kartor/15/17800/9100.png")

    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "image/png" and first.content == second.content == png
    assert "public" in first["Cache-Control"]
    assert [s["path"] for s in seen] == ["/15/17800/9100.png"]  # the second came from storage
    headers = {k.lower() for k in seen[0]["headers"]}
    assert "cookie" not in headers and "referer" not in headers
    assert default_storage.exists("tiles/15/17800/9100")
    default_storage.delete("tiles/15/17800/9100")


@pytest.mark.django_db
def test_no_upstream_no_tile_and_bad_answers_are_not_kept(client, settings, upstream):
    base, seen, _png_bytes = upstream
    settings.MAP_TILE_UPSTREAM = ""
    assert client.get("/kartor/1/0/0.png").status_code == 404

    settings.MAP_TILE_UPSTREAM = base + "/bad/{z}/{x}/{y}.png"
    assert client.get("/kartor/1/0/0.png").status_code == 404
    assert client.get("/kartor/1/2/0.png").status_code == 404  # x outside the zoom level
    assert client.get("/kartor/25/0/0.png").status_code == 404
    assert [s["path"] for s in seen] == ["/bad/1/0/0.png"]
    assert not default_storage.exists("tiles/1/0/0")
