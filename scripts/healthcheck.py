"""Container health check: GET /health/ on the local gunicorn and require HTTP 200.

Sends a Host header from DJANGO_ALLOWED_HOSTS and ``X-Forwarded-Proto: https`` so that neither the
host check nor the HTTPS redirect of production settings (DJANGO_SECURE=true) gets in the way.
Standard library only; exits 0 when healthy, 1 otherwise.
"""

import http.client
import os
import sys


def main() -> int:
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"
    try:
        conn = http.client.HTTPConnection("127.0.0.1", 8000, timeout=5)
        conn.request("GET", "/health/", headers={"Host": host, "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        body = response.read(500).decode("utf-8", "replace")
    except OSError as exc:
        print(f"unhealthy: {exc}")
        return 1
    print(response.status, body)
    return 0 if response.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
