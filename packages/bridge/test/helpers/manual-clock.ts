// The one fake clock (@baton/core/testing).
export { createManualClock, type ManualClock } from '@baton/core/testing';
