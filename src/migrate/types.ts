// Shapes shared by the migration steps. Generated objects are plain data in the exact key order they
// are written in, so rendering is a straight walk and the output is byte-for-byte reproducible.
import type { ConfigWarning } from '../model/index.js';
import type { YamlValue } from './yaml.js';

/** K8sObject is one generated manifest: a metallb.io object or a v1 Secret. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  [field: string]: YamlValue | { name: string; namespace: string };
}

/** Rename records a legacy name that had to change to become a Kubernetes name. */
export interface Rename {
  kind: 'IPAddressPool' | 'BFDProfile';
  from: string;
  to: string;
}

/** MigrateWarning is a finding that does not stop the conversion but makes `--check` fail. */
export type MigrateWarning = ConfigWarning;

/** CrdBuild is the outcome of building CRDs from a legacy payload, before the proof. */
export interface CrdBuild {
  objects: K8sObject[];
  renames: Rename[];
  warnings: MigrateWarning[];
}

/** warn builds a MigrateWarning with a stable code. */
export function warn(code: string, message: string, object?: string, field?: string): MigrateWarning {
  const w: MigrateWarning = { code, message };
  if (object !== undefined) w.object = object;
  if (field !== undefined) w.field = field;
  return w;
}
