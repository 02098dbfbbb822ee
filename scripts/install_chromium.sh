#!/usr/bin/env bash
# Debian's chromium for the report's browser test (tests/integration/test_report_browser.py).
# Idempotent: does nothing when /usr/bin/chromium is there. Needs root and Debian's package
# archive; prints why not and exits 0 otherwise, so the test itself skips with that reason.
set -u
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "install_chromium: not root, cannot apt-get install chromium (the browser test will skip)" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_chromium: no apt-get here (not Debian); install chromium by hand (the browser test will skip)" >&2
    exit 0
fi
echo "install_chromium: installing Debian's chromium (a minute or two; log in /tmp/install_chromium.log)"
if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        chromium chromium-driver fonts-dejavu-core; } >/tmp/install_chromium.log 2>&1; then
    tail -20 /tmp/install_chromium.log >&2
    echo "install_chromium: apt-get install chromium failed: see /tmp/install_chromium.log (the browser test will skip)" >&2
    exit 0
fi
chromium --version
