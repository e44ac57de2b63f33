// Which proxy, if any, a request goes through: HTTPS_PROXY / HTTP_PROXY / NO_PROXY and their
// lower-case forms, read by the rules of @actions/http-client (lib/proxy.ts), so AWS calls and the
// GitHub calls (Octokit over src/github/http-fetch.ts, on the same agents) follow the same settings:
// - https:// targets use https_proxy, else HTTPS_PROXY; http:// targets http_proxy, else HTTP_PROXY
//   (the lower-case form wins, as in curl);
// - no_proxy, else NO_PROXY: comma-separated; `*` matches everything; an entry matches the host, the
//   host:port, or any host ending in `.entry` (a leading dot works the same way); case-insensitive;
// - loopback hosts (localhost, 127.*, [::1]) never go through a proxy.
// Where @actions/http-client is silent: a value without a scheme (`proxy.corp:3128`) means
// http:// (curl's reading; http-client would parse `proxy.corp:` as a scheme and use no proxy),
// and a scheme other than http/https (socks5://) is refused with one line naming the variable,
// rather than being ignored and letting the calls go out directly. Pure: the environment is passed.
//
// Why not @actions/http-client's own getProxyUrl and checkBypass (exported by its lib/proxy entry,
// which, unlike the package's main entry, loads no undici): both read process.env themselves,
// where every module but the entry takes the environment as an argument; and getProxyUrl returns
// `proxy.corp:3128` and `socks5://...` as proxy URLs that no agent can use, so the calls would
// fail later, or go out directly, instead of failing here with the variable's name. The tests
// hold this reading and theirs to the same cases (test/unit/proxy-env.test.ts).
import { InputError } from '../errors.js'
import { PROXY_REFUSED } from './explain.js'

/** The words of PROXY_REFUSED that say it, whatever detail follows them. */
const REFUSAL = PROXY_REFUSED.slice(0, PROXY_REFUSED.indexOf(' ('))

export type ProxyEnv = Readonly<Record<string, string | undefined>>

/** The variables that can name a proxy, in the order they are read. */
export const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i

function variableFor(secure: boolean, env: ProxyEnv): string | undefined {
  const [lower, upper] = secure ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  if (env[lower]) return lower
  if (env[upper]) return upper
  return undefined
}

/** The proxy a variable names; throws an InputError naming the variable if it is not one. */
function parseProxy(name: string, value: string): URL {
  const withScheme = HAS_SCHEME.test(value) ? value : `http://${value}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new InputError(`${name} is not a URL; it must look like http://proxy.example:3128`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InputError(
      `${name} names a ${url.protocol.slice(0, -1)} proxy; only http:// and https:// proxies are supported`
    )
  if (!url.hostname)
    throw new InputError(`${name} names no host; it must look like http://proxy.example:3128`)
  return url
}

/** Checks every proxy variable that is set; the first bad one throws (before any AWS call). */
export function checkProxyEnv(env: ProxyEnv): void {
  for (const name of PROXY_VARIABLES) {
    const value = env[name]
    if (value) parseProxy(name, value)
  }
}

/** True if any proxy variable is set: only then is the proxy code loaded at all. */
export function proxyConfigured(env: ProxyEnv): boolean {
  return PROXY_VARIABLES.some((name) => Boolean(env[name]))
}

function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase()
  return (
    h === 'localhost' ||
    h.startsWith('127.') ||
    h.startsWith('[::1]') ||
    h.startsWith('[0:0:0:0:0:0:0:1]')
  )
}

/** True if NO_PROXY (or loopback) says `target` goes out directly. */
export function bypassesProxy(target: URL, env: ProxyEnv): boolean {
  if (!target.hostname) return false
  if (isLoopback(target.hostname)) return true
  const noProxy = env.no_proxy || env.NO_PROXY || ''
  if (!noProxy) return false
  const port = target.port
    ? Number(target.port)
    : target.protocol === 'https:'
      ? 443
      : target.protocol === 'http:'
        ? 80
        : undefined
  const host = target.hostname.toUpperCase()
  const hosts = port === undefined ? [host] : [host, `${host}:${port}`]
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toUpperCase())
    .filter(Boolean)
    .some(
      (entry) =>
        entry === '*' ||
        hosts.some(
          (h) =>
            h === entry || h.endsWith(`.${entry}`) || (entry.startsWith('.') && h.endsWith(entry))
        )
    )
}

/** The proxy for a request to `target`, or undefined to go out directly. */
export function proxyFor(target: URL, env: ProxyEnv): URL | undefined {
  if (bypassesProxy(target, env)) return undefined
  const name = variableFor(target.protocol === 'https:', env)
  return name ? parseProxy(name, env[name]!) : undefined
}

/** The proxy's address for the log: scheme, host and port, never its credentials. */
export function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`
}

/** The proxy of each scheme that has one: the variable, and the proxy without its credentials. */
function proxiesInUse(env: ProxyEnv): { secure: boolean; variable: string; proxy: string }[] {
  return [true, false].flatMap((secure) => {
    const variable = variableFor(secure, env)
    return variable
      ? [{ secure, variable, proxy: describeProxy(parseProxy(variable, env[variable]!)) }]
      : []
  })
}

/** One log line saying which proxies the AWS calls use, without credentials; undefined if none. */
export function proxySummary(env: ProxyEnv): string | undefined {
  if (!proxyConfigured(env)) return undefined
  const parts = proxiesInUse(env).map(
    (p) => `${p.secure ? 'https' : 'http'}:// through ${p.proxy} (${p.variable})`
  )
  const noProxy = env.no_proxy ? 'no_proxy' : env.NO_PROXY ? 'NO_PROXY' : undefined
  const bypass = noProxy ? ` and to the hosts in ${noProxy} (${env[noProxy]!.trim()})` : ''
  return `AWS calls go ${parts.join(', ')}; directly to loopback hosts${bypass}.`
}

/**
 * `message` with the proxies in use named (scheme, host and port, never the credentials) when it
 * says that a proxy refused the credentials (explain.ts's PROXY_REFUSED); else `message` itself.
 */
export function nameRefusingProxy(message: string, env: ProxyEnv): string {
  if (!message.includes(REFUSAL) || !proxyConfigured(env)) return message
  const named = new Set(proxiesInUse(env).map((p) => `${p.proxy} (${p.variable})`))
  return `${message} [proxy: ${[...named].join(', ')}]`
}
