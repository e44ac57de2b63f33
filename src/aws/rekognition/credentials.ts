// The credentials a request is signed with: the SDK's default chain, in its order. The first link
// (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, what
// aws-actions/configure-aws-credentials exports) is read here, at no cost; every other source (a
// profile, SSO, a web identity token file, a container or instance role) is left to the SDK's own
// chain, loaded only then (@aws-sdk/credential-provider-node, a lazy chunk of the bundle).
import type { Credentials } from './sigv4.js'

type Env = Readonly<Record<string, string | undefined>>

export type CredentialProvider = () => Promise<Credentials>

/**
 * The chain's first link, as @aws-sdk/credential-provider-node runs it: the keys of the
 * environment, unless AWS_PROFILE is set (then the profile wins, and the keys are skipped). Pure.
 */
export function environmentCredentials(env: Env): Credentials | undefined {
  if (env.AWS_PROFILE) return undefined
  const accessKeyId = env.AWS_ACCESS_KEY_ID
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY
  if (!accessKeyId || !secretAccessKey) return undefined
  const expiry = env.AWS_CREDENTIAL_EXPIRATION
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(expiry ? { expiration: new Date(expiry) } : {})
  }
}

/**
 * The run's credential provider: the environment's keys when set, else the SDK's default chain
 * (memoized and refreshed by the SDK). `region` is the one STS is asked in, as for the SDK's own
 * clients.
 */
export function defaultCredentials(env: Env, region: string): CredentialProvider {
  const fromEnv = environmentCredentials(env)
  if (fromEnv) return async () => fromEnv
  let chain: Promise<CredentialProvider> | undefined
  return async () => {
    chain ??= import('@aws-sdk/credential-provider-node').then(
      ({ defaultProvider }) =>
        defaultProvider({ parentClientConfig: { region } }) as unknown as CredentialProvider
    )
    return (await chain)()
  }
}
