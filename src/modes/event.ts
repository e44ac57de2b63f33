// The event payload file the runner writes (GITHUB_EVENT_PATH), read once at the edge of a mode.
import { readFileSync } from 'node:fs'
import type { ActionIo } from './io.js'

export function readEventPayload(io: ActionIo, path: string | undefined): unknown {
  if (!path) return {}
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    io.log.warning(`Could not read the event payload at ${path}; pull request details are unknown.`)
    return {}
  }
}
