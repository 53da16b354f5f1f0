// The directory source: a folder of YAML manifests as the cluster (see docs/daemons.md).
export { DirSource, type DirSourceOptions } from './source.js';
export { readEvents, type StoredEvent } from './events.js';
export { STATE_DIR, overlayPath, leasePath, objectPath, eventsPath, roleOf } from './layout.js';
