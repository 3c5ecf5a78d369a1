#!/usr/bin/env bash
# Print the path of a working Python >= 3.12, or explain how to get one and exit 1.
#
# Usage: scripts/find-python.sh [PYTHON]
#   With an argument, only that interpreter is checked (make PYTHON=/path/to/python).
#
# Each candidate is *run*, not just looked up: pyenv installs shims such as `python3.12` that exist
# on PATH but fail unless pyenv is told which version to use.
set -uo pipefail

works() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

if [ -n "${1:-}" ]; then
    if works "$1"; then
        command -v "$1"
        exit 0
    fi
    echo "error: PYTHON=$1 does not run, or is older than Python 3.12." >&2
    exit 1
fi

candidates=()
# 1. Interpreters on PATH, newest first.
for name in python3.13 python3.12 python3; do
    path=$(command -v "$name" 2>/dev/null) && candidates+=("$path")
done
# 2. pyenv's installed versions, called directly (no shim, no PYENV_VERSION needed), also when the
#    pyenv command itself is not on PATH. The oldest supported one first: 3.12 is the version the
#    pinned requirements are developed and tested on.
roots=()
if command -v pyenv >/dev/null 2>&1; then
    roots+=("$(pyenv root 2>/dev/null)")
fi
roots+=("${PYENV_ROOT:-}" "${HOME:-/root}/.pyenv")
for root in "${roots[@]}"; do
    [ -n "$root" ] && [ -d "$root/versions" ] || continue
    while IFS= read -r path; do
        candidates+=("$path")
    done < <(ls -d "$root"/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -V)
done
# 3. System-wide installs (Debian/Ubuntu packages, deadsnakes, source builds).
for path in /usr/bin/python3.1[2-9] /usr/local/bin/python3.1[2-9]; do
    [ -e "$path" ] && candidates+=("$path")
done

for path in "${candidates[@]}"; do
    if works "$path"; then
        echo "$path"
        exit 0
    fi
done

cat >&2 <<'MSG'
error: no Python 3.12 or newer was found (Django 6 needs Python >= 3.12).

Tried python3.13, python3.12 and python3 on PATH, pyenv's versions and /usr/bin, /usr/local/bin.
Install one, then run make again:
  - Ubuntu 24.04 and newer, Debian 13:  sudo apt-get install python3 python3-venv
  - Debian 12 / older Ubuntu:           pyenv install 3.12
                                        or Ubuntu's deadsnakes PPA: python3.12 python3.12-venv
Or point make at an interpreter:         make demo PYTHON=/path/to/python3.12
MSG
exit 1
