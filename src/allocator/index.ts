// The allocator's public surface: the Allocator class, its request/result types and the pure
// helpers other layers reuse (pool order, pool/service fit, the sharing rule).
export { Allocator } from './allocator.js';
export * from './types.js';
export { poolServes, comparePools, familyPlans, priorityOf } from './select.js';
export { checkSharing, portKey } from './sharing.js';
