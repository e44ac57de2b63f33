// Which region to call. Pure.

export interface RegionChoice {
  region: string
  /** Said to the user when the environment's region was set aside. */
  notice?: string
}

/**
 * The aws-region input (already checked to match the ARN), then AWS_REGION / AWS_DEFAULT_REGION,
 * then the ARN. A project exists only in its own region, so an environment region that differs
 * (set for other steps) would only earn a ResourceNotFoundException: the ARN's region wins then.
 */
export function chooseRegion(
  input: string | undefined,
  env: Record<string, string | undefined>,
  arnRegion: string
): RegionChoice {
  if (input) return { region: input }
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION
  if (!fromEnv || fromEnv === arnRegion) return { region: arnRegion }
  return {
    region: arnRegion,
    notice: `The environment's region is ${fromEnv} but project-arn is in ${arnRegion}: calling ${arnRegion}, where the project is.`
  }
}
