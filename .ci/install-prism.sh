#!/usr/bin/env bash
# Installs Stoplight Prism (the spec-conformance mock server, see tests/conformance/PRISM-NOTES.md)
# into tests/conformance/node_modules from tests/conformance/package-lock.json, then prints its
# version. Runnable from anywhere. Pinned at 5.14.2 (PRISM-NOTES.md says why). Idempotent (see
# npm-install-pinned.sh).
#
# Prism binary afterwards: tests/conformance/node_modules/.bin/prism
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash .ci/npm-install-pinned.sh install-prism tests/conformance @stoplight/prism-cli

# The package is installed; its binary must run and say the same version.
bin="tests/conformance/node_modules/.bin/prism"
want="$(node -p 'require("./tests/conformance/package.json").dependencies["@stoplight/prism-cli"]')"
got="$("$bin" --version)"
if [[ "$got" != "$want" ]]; then
    echo "install-prism: expected prism $want, but $bin --version says '$got'" >&2
    exit 1
fi
echo "install-prism: prism $got ($bin)"
