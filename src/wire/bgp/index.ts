// The BGP wire codec: pure functions over Buffers, no sockets (see docs/design/bgp.md).
export * from './constants.js';
export * from './errors.js';
export * from './prefix.js';
export * from './header.js';
export * from './open.js';
export * from './notification.js';
export * from './mp.js';
export * from './attributes.js';
export * from './update.js';
export * from './message.js';
export * from './packer.js';
