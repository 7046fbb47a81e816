// The bridge uses core's one Clock (packages/core/src/clock.ts); kept as a module so imports read
// `./clock.js` where time is the concern.
export { systemClock, type Clock } from '@baton/core';
