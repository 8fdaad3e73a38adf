import { Ajv2020 } from 'ajv/dist/2020.js';
import { jsonSchemas, type SchemaName } from '../../src/engine/json-schemas.js';

/** Validates a value against one of the published JSON Schemas; returns the errors (empty when valid). */
export function schemaErrors(name: SchemaName, value: unknown): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile((jsonSchemas() as Record<string, object>)[`${name}.schema.json`] ?? {});
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
