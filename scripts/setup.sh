#!/usr/bin/env bash
# Create .venv/ at the repository root and install ModelAtlas into it (editable), with test tools if --test.
# Torch is the CPU build: `torch==2.13.0` is taken from the local wheel where the machine has one.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
    .venv/bin/python -m pip install --quiet "torch==2.13.0"
fi
.venv/bin/python -m pip install --quiet -e ".${extras}"

# The web pages' tests drive Debian's Chromium through Playwright (never Playwright's own browser download).
if [ -n "$extras" ] && [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian's chromium for the browser tests" >&2
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
    elif command -v sudo >/dev/null; then
        sudo apt-get install -y -qq chromium >/dev/null
    else
        echo "cannot install chromium (not root, no sudo): the browser tests will fail; install Debian's chromium" >&2
    fi
fi
echo "ModelAtlas installed in .venv/ ($(.venv/bin/modelatlas --help >/dev/null && echo ok))" >&2
