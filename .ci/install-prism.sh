#!/usr/bin/env bash
# Installs Stoplight Prism (the spec-conformance mock server, see tests/conformance/PRISM-NOTES.md)
# into tests/conformance/node_modules from tests/conformance/package-lock.json, then prints its
# version. Runnable from anywhere (it works from the repo root).
#
# Idempotent: the install is skipped when node_modules already holds the pinned prism-cli version
# and was installed from the current package-lock.json (a stamp records the lock's sha256), so a
# bumped pin or an edited lock always triggers a clean `npm ci`.
#
# Prism binary afterwards: tests/conformance/node_modules/.bin/prism
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dir="tests/conformance"
bin="$dir/node_modules/.bin/prism"
stamp="$dir/node_modules/.installed-lock-sha256"

for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "install-prism: '$tool' not found on PATH" >&2; exit 1; }
done
[[ -f "$dir/package.json" && -f "$dir/package-lock.json" ]] \
    || { echo "install-prism: $dir/package.json or package-lock.json missing" >&2; exit 1; }

# The exact version pinned in package.json (no range: see PRISM-NOTES.md for why 5.14.2).
want="$(node -p 'require("./'"$dir"'/package.json").dependencies["@stoplight/prism-cli"]')"
lock_sha="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
have="$(node -p 'require("./'"$dir"'/node_modules/@stoplight/prism-cli/package.json").version' 2>/dev/null || true)"

if [[ "$have" == "$want" && -x "$bin" && "$(cat "$stamp" 2>/dev/null)" == "$lock_sha" ]]; then
    echo "install-prism: @stoplight/prism-cli $want already installed, skipping npm ci"
else
    echo "install-prism: installing @stoplight/prism-cli $want with npm ci (node $(node --version), npm $(npm --version))"
    start=$SECONDS
    # npm ci deletes node_modules first, so an interrupted earlier install is never trusted.
    npm ci --prefix "$dir" --no-audit --no-fund
    echo "$lock_sha" >"$stamp"
    echo "install-prism: npm ci took $((SECONDS - start))s"
fi

got="$("$bin" --version)"
if [[ "$got" != "$want" ]]; then
    echo "install-prism: expected prism $want, but $bin --version says '$got'" >&2
    exit 1
fi
echo "install-prism: prism $got ($bin)"
