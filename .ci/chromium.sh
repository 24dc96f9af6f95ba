#!/usr/bin/env bash
# Make sure Chromium is installed for the HTML report's browser tests (tests/outputs/test_html_browser.py);
# install Debian's package if not.  Playwright drives it (`executable_path`): nothing is downloaded
# at test time.  Prints the browser's path.
set -eu
find_chromium() { command -v chromium || command -v chromium-browser || true; }
if [ -z "$(find_chromium)" ]; then
  command -v apt-get >/dev/null 2>&1 || { echo "no Chromium and no apt-get to install it" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "no Chromium and not root to install it" >&2; exit 1; }
  timeout 300 apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq chromium >/dev/null
fi
path=$(find_chromium)
[ -n "$path" ] || { echo "Chromium did not install" >&2; exit 1; }
echo "$path"
