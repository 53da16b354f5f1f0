// The domain model: types and pure helpers only, importing nothing else of ours.
export * from './ip.js';
export * from './selector.js';
export * from './errors.js';
export * from './config.js';
export * from './cluster.js';
