// Strict decoding of the legacy payload: YAML text (or an already loaded tree) into LegacyConfigFile,
// checked against schemas/legacy-config.schema.json. No semantics here: that is build.ts.
import { ConfigError, ConfigErrors } from '../../model/errors.js';
import { loadYAML } from '../yaml.js';
import { coerce, type CoerceContext } from '../schema/coerce.js';
import { checkSchema, loadSchema } from '../schema/registry.js';
import type { LegacyConfigFile } from './types.js';

/** LEGACY_SCHEMA is the schema file of the legacy payload, relative to schemas/. */
export const LEGACY_SCHEMA = 'legacy-config.schema.json';

/**
 * decodeLegacyTree decodes one loaded YAML document (plain scalars unresolved) as a legacy payload.
 * Returns the typed file and every decode/shape error found (the file is only usable when there are none).
 */
export function decodeLegacyTree(tree: unknown, source: string): { file: LegacyConfigFile; errors: ConfigError[] } {
  const ctx: CoerceContext = {
    root: loadSchema(LEGACY_SCHEMA),
    prefix: `config: ${source}: could not parse config`,
    object: source,
    errors: [],
  };
  const file = (coerce(ctx, ctx.root, tree, '') ?? {}) as LegacyConfigFile;
  if (ctx.errors.length > 0) return { file, errors: ctx.errors };
  return { file, errors: checkSchema(LEGACY_SCHEMA, file, { prefix: ctx.prefix, object: source }) };
}

/**
 * decodeLegacy strictly decodes a legacy payload (the ConfigMap's `config` text) without judging what
 * it means: unknown keys, duplicate keys and type mismatches are errors; YAML 1.1 booleans work.
 * An empty payload is an empty file. Throws ConfigErrors.
 */
export function decodeLegacy(text: string, name = 'config'): LegacyConfigFile {
  const docs = loadYAML(text, name);
  if (docs.length > 1) {
    throw new ConfigErrors([new ConfigError('config.decode', `config: ${name}: the payload holds ${docs.length} YAML documents, expected one`, { object: name })]);
  }
  if (docs.length === 0) return {};
  const { file, errors } = decodeLegacyTree(docs[0], name);
  if (errors.length > 0) throw new ConfigErrors(errors);
  return file;
}
