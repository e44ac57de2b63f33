// bottleneck's light build (the one @octokit/plugin-throttling loads) has the full build's API,
// without Redis clustering; the package declares types for the full build only.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck'
  export default Bottleneck
}
