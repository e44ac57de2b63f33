// The licences of what dist/ bundles, as ncc lists them in dist/licenses.txt: entries of a package
// name, its package.json licence on the next line, then the licence text. Pure.

export interface Bundled {
  name: string
  license: string
}

const PACKAGE = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/
const SPDX = /^\(?[A-Za-z0-9.+-]+(?: (?:AND|OR|WITH) [A-Za-z0-9.+-]+)*\)?$/

export function bundledLicenses(text: string): Bundled[] {
  const lines = text.split('\n')
  const out: Bundled[] = []
  for (let i = 0; i + 1 < lines.length; i++) {
    const startsEntry = i === 0 || lines[i - 1] === ''
    if (
      startsEntry &&
      PACKAGE.test(lines[i]) &&
      SPDX.test(lines[i + 1]) &&
      /[A-Z0-9]/.test(lines[i + 1])
    )
      out.push({ name: lines[i], license: lines[i + 1] })
  }
  return out
}

/** True if an SPDX expression is satisfied by the allowed ids (OR: one of them; AND: all). */
export function allowed(expression: string, allow: readonly string[]): boolean {
  const e = expression.replace(/^\((.*)\)$/, '$1').trim()
  if (e.includes(' OR ')) return e.split(' OR ').some((x) => allowed(x, allow))
  if (e.includes(' AND ')) return e.split(' AND ').every((x) => allowed(x, allow))
  return allow.includes(e)
}

export function disallowed(bundled: Bundled[], allow: readonly string[]): Bundled[] {
  return bundled.filter((b) => !allowed(b.license, allow))
}
