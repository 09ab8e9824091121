/*
 * The k6 script's file generator: esbuild bundles this module into the exported script (k6 runs
 * its own JavaScript runtime, without npm packages or Node's APIs), so each upload's recording,
 * photo or video is made at run time from its seed, byte for byte what the simulator sends.
 */
export { renderMedia } from '@ccai-sim/fixtures'
