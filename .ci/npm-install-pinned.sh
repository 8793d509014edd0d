#!/usr/bin/env bash
# Installs one npm package pinned in <dir>/package.json into <dir>/node_modules with `npm ci` from
# <dir>/package-lock.json, then checks and prints the installed version. The shared body of
# .ci/install-prism.sh and .ci/install-oidc-provider.sh (test judges from npm).
#
#   npm-install-pinned.sh NAME DIR PACKAGE
#
# NAME prefixes the messages. Idempotent: the install is skipped when node_modules already holds
# the pinned version and was installed from the current lock (a stamp records the lock's sha256),
# so a bumped pin or an edited lock always triggers a clean `npm ci`. Run from the repo root.
set -euo pipefail

name="$1" dir="$2" package="$3"
manifest="$dir/node_modules/$package/package.json"
stamp="$dir/node_modules/.installed-lock-sha256"

for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "$name: '$tool' not found on PATH" >&2; exit 1; }
done
[[ -f "$dir/package.json" && -f "$dir/package-lock.json" ]] \
    || { echo "$name: $dir/package.json or package-lock.json missing" >&2; exit 1; }

# The exact version pinned in package.json (no range: see the caller for why that version).
want="$(node -p 'require("./'"$dir"'/package.json").dependencies["'"$package"'"]')"
lock_sha="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
have="$(node -p 'require("./'"$manifest"'").version' 2>/dev/null || true)"

if [[ "$have" == "$want" && "$(cat "$stamp" 2>/dev/null)" == "$lock_sha" ]]; then
    echo "$name: $package $want already installed, skipping npm ci"
else
    echo "$name: installing $package $want with npm ci (node $(node --version), npm $(npm --version))"
    start=$SECONDS
    # npm ci deletes node_modules first, so an interrupted earlier install is never trusted.
    npm ci --prefix "$dir" --no-audit --no-fund
    echo "$lock_sha" >"$stamp"
    echo "$name: npm ci took $((SECONDS - start))s"
fi

got="$(node -p 'require("./'"$manifest"'").version')"
if [[ "$got" != "$want" ]]; then
    echo "$name: expected $package $want, but $manifest says '$got'" >&2
    exit 1
fi
echo "$name: $package $got ($dir/node_modules/$package)"
