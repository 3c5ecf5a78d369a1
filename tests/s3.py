"""A real S3 API server for the storage tests: moto's standalone server (``moto[server]`` from
the dev requirements), started once per test session on a free port of 127.0.0.1 and stopped at
the end (or with pytest, if pytest dies). Each test gets an empty bucket of its own, configured
as Django's default storage through the same ``s3_storage()`` the settings use in production.
"""

import hashlib
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest

from config.settings import s3_storage
from tests.processes import free_port, spawn, stop, wait_for_port

ACCESS_KEY = "trygga-test"
SECRET_KEY = "trygga-test-secret"
REGION = "us-east-1"


@dataclass
class S3Server:
    endpoint: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def create_bucket(self) -> "Bucket":
        name = f"trygga-test-{uuid.uuid4().hex[:12]}"
        client = self.client()
        client.create_bucket(Bucket=name)
        return Bucket(name=name, server=self, client=client)


@dataclass
class Bucket:
    name: str
    server: S3Server
    client: object = field(repr=False)

    @property
    def storage(self) -> dict:
        """This bucket as a STORAGES["default"] entry."""
        return s3_storage(
            self.name,
            endpoint_url=self.server.endpoint,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            region_name=REGION,
        )

    @property
    def env(self) -> dict:
        """This bucket as the environment of another process (gunicorn, a worker, manage.py)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.name,
            "AWS_S3_ENDPOINT_URL": self.server.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_S3_REGION_NAME": REGION,
        }

    def names(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def checksums(self) -> dict[str, str]:
        return {key: hashlib.sha256(self.read(key)).hexdigest() for key in self.names()}

    def object_url(self, key: str) -> str:
        """The object's plain (unsigned) URL, as anyone on the network could ask for it."""
        return f"{self.server.endpoint}/{self.name}/{key}"


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("s3") / "moto_server.log"
    executable = Path(sys.executable).with_name("moto_server")
    proc = spawn([str(executable), "-H", "127.0.0.1", "-p", str(port)], log=log)
    try:
        wait_for_port(port, proc, log=log)
        yield S3Server(endpoint=f"http://127.0.0.1:{port}")
    finally:
        stop(proc)


@pytest.fixture
def s3_bucket(s3_server, settings) -> Bucket:
    """An empty bucket of this test's own, as Django's default storage for the test."""
    bucket = s3_server.create_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": bucket.storage}
    return bucket
