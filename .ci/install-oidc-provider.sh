#!/usr/bin/env bash
# Installs panva's oidc-provider (the loopback OpenID provider fixture, see tests/oidc/README.md)
# into tests/oidc/node_modules from tests/oidc/package-lock.json, then prints its version.
# Runnable from anywhere. Pinned at 8.8.1, the newest release that supports Node 20 (every 9.x
# asks for Node 22 LTS). Idempotent (see npm-install-pinned.sh).
#
# Fixture afterwards: PORT=0 node tests/oidc/provider.mjs
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec bash .ci/npm-install-pinned.sh install-oidc-provider tests/oidc oidc-provider
