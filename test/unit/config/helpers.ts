// Test helpers for the config suites: parse text, and get either the JSON model or the errors.
import { parseSources, modelToJSON, type ParseOptions } from '../../../src/config/index.js';
import { ConfigErrors } from '../../../src/model/errors.js';
import type { ParseResult } from '../../../src/model/config.js';

/** parseText parses one source named `config.yaml` and returns the result (throws on invalid). */
export function parseText(text: string, opts: ParseOptions = {}, name = 'config.yaml'): ParseResult {
  return parseSources([{ name, text }], opts);
}

/** modelOf parses and returns the JSON model. */
export function modelOf(text: string, opts: ParseOptions = {}): ReturnType<typeof modelToJSON> {
  return modelToJSON(parseText(text, opts).config);
}

/** errorsOf parses text that must be invalid and returns its errors; fails the test when it is valid. */
export function errorsOf(text: string, opts: ParseOptions = {}): ConfigErrors {
  try {
    parseText(text, opts);
  } catch (err) {
    if (err instanceof ConfigErrors) return err;
    throw new Error(`expected ConfigErrors, got ${String(err)}`);
  }
  throw new Error(`expected the config to be refused:\n${text}`);
}

/** pools lists pool name -> cidr strings of a JSON model. */
export function cidrsByPool(model: ReturnType<typeof modelToJSON>): Record<string, string[]> {
  return Object.fromEntries(model.pools.map((p) => [p['name'] as string, p['cidrs'] as string[]]));
}
