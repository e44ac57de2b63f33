// The part of @vercel/ncc's programmatic API that scripts/build.ts uses (the package ships no types).
declare module '@vercel/ncc' {
  interface Options {
    esm?: boolean
    minify?: boolean
    license?: string
    quiet?: boolean
  }
  interface Output {
    code: string
    assets?: Record<string, { source: string | Buffer; permissions?: number }>
    stats: { toJson(options?: object): unknown }
  }
  export default function ncc(entry: string, options?: Options): Promise<Output>
}
