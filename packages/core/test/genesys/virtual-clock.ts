// The core tests' name for the one fake clock (@baton/core/testing).
export { createManualClock as createVirtualClock, type ManualClock as VirtualClock } from '../../src/testing/index.js';
