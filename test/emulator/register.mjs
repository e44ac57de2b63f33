// `node --import ./test/emulator/register.mjs file.ts`: lets Node load the TypeScript sources.
import { register } from 'tsx/esm/api'

register()
