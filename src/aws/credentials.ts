// Whether AWS credentials can be expected at all, before any call. Pure.

/**
 * The variables through which a workflow hands the SDK credentials: keys (what
 * configure-aws-credentials exports), a web identity token file, a container endpoint, a profile.
 * Instance metadata is left out on purpose: GitHub-hosted runners have none.
 */
export function hasAwsCredentials(env: Record<string, string | undefined>): boolean {
  return Boolean(
    env.AWS_ACCESS_KEY_ID ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
    env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
    env.AWS_PROFILE
  )
}
