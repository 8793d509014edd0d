#!/usr/bin/env bash
# Installs panva's oidc-provider (the loopback OpenID provider fixture, see tests/oidc/README.md)
# into tests/oidc/node_modules from tests/oidc/package-lock.json, then prints its version.
# Runnable from anywhere (it works from the repo root).
#
# Idempotent: the install is skipped when node_modules already holds the pinned oidc-provider
# version and was installed from the current package-lock.json (a stamp records the lock's
# sha256), so a bumped pin or an edited lock always triggers a clean `npm ci`.
#
# Fixture afterwards: PORT=0 node tests/oidc/provider.mjs
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dir="tests/oidc"
pkg="$dir/node_modules/oidc-provider/package.json"
stamp="$dir/node_modules/.installed-lock-sha256"

for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "install-oidc-provider: '$tool' not found on PATH" >&2; exit 1; }
done
[[ -f "$dir/package.json" && -f "$dir/package-lock.json" ]] \
    || { echo "install-oidc-provider: $dir/package.json or package-lock.json missing" >&2; exit 1; }

# The exact version pinned in package.json (no range: 8.8.1 is the newest release that supports
# Node 20; every 9.x asks for Node 22 LTS, see tests/oidc/README.md).
want="$(node -p 'require("./'"$dir"'/package.json").dependencies["oidc-provider"]')"
lock_sha="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
have="$(node -p 'require("./'"$pkg"'").version' 2>/dev/null || true)"

if [[ "$have" == "$want" && "$(cat "$stamp" 2>/dev/null)" == "$lock_sha" ]]; then
    echo "install-oidc-provider: oidc-provider $want already installed, skipping npm ci"
else
    echo "install-oidc-provider: installing oidc-provider $want with npm ci (node $(node --version), npm $(npm --version))"
    start=$SECONDS
    # npm ci deletes node_modules first, so an interrupted earlier install is never trusted.
    npm ci --prefix "$dir" --no-audit --no-fund
    echo "$lock_sha" >"$stamp"
    echo "install-oidc-provider: npm ci took $((SECONDS - start))s"
fi

got="$(node -p 'require("./'"$pkg"'").version')"
if [[ "$got" != "$want" ]]; then
    echo "install-oidc-provider: expected oidc-provider $want, but $pkg says '$got'" >&2
    exit 1
fi
echo "install-oidc-provider: oidc-provider $got ($dir/node_modules/oidc-provider)"
