"""X-Forwarded-For and X-Forwarded-Proto are believed only from DJANGO_TRUSTED_PROXY_IPS."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from partnerships.network import client_address, is_trusted_proxy

ROOT = Path(__file__).resolve().parent.parent


def test_the_forwarded_address_counts_only_from_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXIES = 1
    via_proxy = rf.get("/", REMOTE_ADDR="172.18.0.3", HTTP_X_FORWARDED_FOR="198.51.100.7")
    direct = rf.get("/", REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(via_proxy) == "198.51.100.7"
    assert client_address(direct) == "203.0.113.50"
    # Configured to one proxy address, the private ranges are no longer trusted.
    settings.TRUSTED_PROXY_IPS = ["192.0.2.10"]
    assert client_address(via_proxy) == "172.18.0.3"
    proxy = rf.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(proxy) == "198.51.100.7"


def test_behind_two_proxies_the_nearer_hop_must_be_a_proxy_too(rf, settings):
    settings.TRUSTED_PROXIES = 2
    good = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.2")
    forged = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert client_address(good) == "198.51.100.7"
    assert client_address(forged) == "10.0.0.1"


def test_garbage_is_never_a_proxy_or_a_client(rf, settings):
    settings.TRUSTED_PROXIES = 1
    assert not is_trusted_proxy("not-an-address")
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert client_address(request) == "10.0.0.1"


@pytest.mark.django_db
def test_https_claimed_by_a_direct_client_is_ignored(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    direct = client.get("/health/", REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_PROTO="https")
    proxied = client.get("/health/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301 and direct["Location"].startswith("https://")
    assert proxied.status_code == 200


def test_a_malformed_proxy_network_stops_start_up():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_TRUSTED_PROXY_IPS": "10.0.0.0/8,proxy.example.se",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_IPS: 'proxy.example.se'" in result.stderr


def test_compose_publishes_only_its_proxy_and_on_loopback():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"proxy"}  # web containers are reached through the stack's proxy only
    (port,) = compose["services"]["proxy"]["ports"]
    assert port.startswith("${WEB_BIND:-127.0.0.1}:")
    entrypoint = (ROOT / "scripts" / "docker-entrypoint.sh").read_text(encoding="utf-8")
    assert '--forwarded-allow-ips "${DJANGO_TRUSTED_PROXY_IPS:-' in entrypoint
    assert "FORWARDED_ALLOW_IPS:-*" not in entrypoint
