#!/usr/bin/env bash
# Validates action.yml (and the example workflows) against their schemas with @action-validator/cli.
# Its bundled schema (0.6.0) predates node24, so a copy with `using: node20` is validated and the
# real runtime is checked here on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
grep -qE '^  using: node24$' action.yml || { echo "action.yml must declare runs.using: node24"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/^  using: node24$/  using: node20/' action.yml >"$tmp/action.yml"
npx action-validator "$tmp/action.yml"
shopt -s nullglob
for wf in examples/*.yml .github/workflows/*.yml; do
  npx action-validator "$wf"
done
echo "action.yml and workflows are valid"
