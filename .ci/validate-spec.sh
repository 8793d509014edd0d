#!/usr/bin/env bash
# Validates OpenAPI documents with openapi-spec-validator (the reference validator of the
# OpenAPI 3.0 schema), so a spec the generator accepts is also one other tools accept.
#
# Usage: .ci/validate-spec.sh [FILE...]   (default: spec/*.yaml spec/*.yml spec/*.json)
#
# The validator lives in a venv under target/ (ignored by git, removed by `cargo clean`), created
# on first use and reused afterwards. Prints one line on success; on failure prints the
# validator's report and exits non-zero.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/target/spec-validator-venv"
# Pinned so a new validator release cannot turn a green CI red overnight; bump deliberately.
validator_version="0.9.0"

# The stamp records the installed version: a missing or different stamp (first run, a bump, an
# interrupted install) rebuilds the venv from scratch, so a half-made venv is never trusted.
stamp="$venv/.installed-version"
if [[ "$(cat "$stamp" 2>/dev/null)" != "$validator_version" ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv" >/dev/null
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        "openapi-spec-validator==$validator_version" >/dev/null
    echo "$validator_version" >"$stamp"
fi

if [[ $# -gt 0 ]]; then
    files=("$@")
else
    shopt -s nullglob
    files=("$root"/spec/*.yaml "$root"/spec/*.yml "$root"/spec/*.json)
    shopt -u nullglob
fi
if [[ ${#files[@]} -eq 0 ]]; then
    echo "validate-spec: no spec files found" >&2
    exit 1
fi

failed=0
for f in "${files[@]}"; do
    if ! out="$("$venv/bin/openapi-spec-validator" --schema 3.0 "$f" 2>&1)"; then
        echo "validate-spec: $f is invalid:" >&2
        echo "$out" >&2
        failed=1
    fi
done
[[ $failed -eq 0 ]] || exit 1
echo "validate-spec: ${#files[@]} spec file(s) valid (openapi-spec-validator $validator_version)"
