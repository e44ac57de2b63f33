// `npx tsx scripts/check-template.ts TEMPLATE...`: validates CloudFormation templates against the
// CloudFormation resource specification shipped by @aws-cdk/cfnspec (see cfn-template.ts).
// scripts/validate-action.sh runs it over examples/setup/.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parseTemplate, templateProblems, type Spec } from './cfn-template.js'

const require = createRequire(import.meta.url)
const spec = JSON.parse(
  readFileSync(require.resolve('@aws-cdk/cfnspec/spec/specification.json'), 'utf8')
) as Spec & { ResourceSpecificationVersion: string }

let failed = 0
for (const file of process.argv.slice(2)) {
  const problems = templateProblems(parseTemplate(readFileSync(file, 'utf8')), spec)
  for (const p of problems) console.log(`${file}: ${p}`)
  failed += problems.length
}
if (failed > 0) process.exit(1)
console.log(
  `${process.argv.length - 2} template(s) valid against the CloudFormation resource specification ${spec.ResourceSpecificationVersion}`
)
