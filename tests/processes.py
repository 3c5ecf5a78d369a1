"""Helpers for tests that run real servers beside pytest (an S3 API server, PgBouncer,
gunicorn, Celery): a free port on 127.0.0.1, a child process that dies with pytest, and waiting
until a port answers."""

import ctypes
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
_PR_SET_PDEATHSIG = 1


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    # Linux: the child gets SIGTERM when pytest exits, even when pytest is killed outright.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(command: list[str], *, env: dict | None = None, log: Path | None = None, **kwargs):
    """Start ``command`` in the project directory; output goes to ``log`` when given."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in stop()
    proc = subprocess.Popen(
        command,
        cwd=kwargs.pop("cwd", BASE_DIR),
        env=env if env is not None else dict(os.environ),
        stdout=out,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
        **kwargs,
    )
    proc.log_file = out if log else None
    return proc


def stop(proc, timeout: float = 20) -> None:
    """Terminate ``proc`` (SIGTERM, then SIGKILL) and close its log."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    if getattr(proc, "log_file", None):
        proc.log_file.close()


def wait_for_port(port: int, proc=None, *, timeout: float = 30, log: Path | None = None) -> None:
    """Block until something accepts connections on 127.0.0.1:``port``; fail early if ``proc``
    exits first, showing the end of its ``log``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"process exited with {proc.returncode} before listening:\n{tail}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def start_pgbouncer(*, host: str, port: int, user: str, password: str, log: Path):
    """A PgBouncer in transaction pooling mode on a free port of 127.0.0.1, in front of the
    PostgreSQL at ``host``:``port`` (every database, the one user). Returns (process, port).

    As root it switches to the postgres system user (PgBouncer refuses to run as root), so its
    files go to a directory of their own that user can read.
    """
    import shutil
    import tempfile

    executable = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(executable).exists():
        raise RuntimeError("pgbouncer is not installed (apt-get install pgbouncer)")
    listen = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="trygga-test-pgbouncer-"))
    workdir.chmod(0o755)
    userlist = workdir / "userlist.txt"
    userlist.write_text(f'"{user}" "{password}"\n', encoding="utf-8")
    config = workdir / "pgbouncer.ini"
    config.write_text(
        "[databases]\n"
        f"* = host={host} port={port}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {listen}\n"
        "unix_socket_dir =\n"
        "auth_type = plain\n"
        f"auth_file = {userlist}\n"
        "pool_mode = transaction\n"
        "default_pool_size = 10\n"
        "max_client_conn = 200\n"
        f"admin_users = {user}\n"
        "ignore_startup_parameters = extra_float_digits\n",
        encoding="utf-8",
    )
    for path in (userlist, config):
        path.chmod(0o644)
    command = [executable]
    if os.geteuid() == 0:
        command += ["-u", "postgres"]
    proc = spawn([*command, str(config)], log=log)
    proc.workdir = workdir
    wait_for_port(listen, proc, log=log)
    return proc, listen
