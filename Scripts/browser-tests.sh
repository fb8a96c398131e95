#!/usr/bin/env bash
# The people's pages in real headless Chromium: Selenium drives them, axe-core checks them
# (WCAG 2.1 AA), zbarimg reads their QR codes back (Tests/Browser/test_pages.py).
#
#   Scripts/browser-tests.sh ZHUCAN
#
# Needs Debian's chromium and chromium-driver (make test installs them) and a virtual
# environment under .build with Selenium and axe-selenium-python, which ships axe-core; it is
# made here when missing. With CI set, a missing browser fails the run instead of skipping it.
set -euo pipefail

zhucan=$(cd "$(dirname "${1:?usage: browser-tests.sh ZHUCAN}")" && pwd)/$(basename "$1")
venv=.build/browser-venv

if ! command -v chromium > /dev/null || ! command -v chromedriver > /dev/null; then
    if [ -n "${CI:-}" ]; then echo "*** chromium or chromedriver missing: the browser tests cannot run ***" >&2; exit 1; fi
    echo "*** chromium or chromedriver missing (apt-get install chromium chromium-driver): the browser tests are SKIPPED ***" >&2
    exit 0
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import selenium, axe_selenium_python" 2> /dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "selenium>=4.15,<5" "axe-selenium-python==2.1.6"
fi
ZHUCAN="$zhucan" "$venv/bin/python" -m unittest -v Tests/Browser/test_pages.py
