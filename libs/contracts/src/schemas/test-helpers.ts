import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { CONTRACT_SCHEMAS, TOPIC_SCHEMA_IDS } from './index';
import { TopicKey } from '../topics';

/** An ajv (draft 2020-12, strict, with formats) holding every contract schema; for unit and e2e tests. */
export function contractValidator(): { validate(schemaId: string, value: unknown): string[]; forTopic(topic: TopicKey, value: unknown): string[] } {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  for (const schema of Object.values(CONTRACT_SCHEMAS)) ajv.addSchema(schema);
  const compiled = new Map<string, ValidateFunction>();
  const validate = (schemaId: string, value: unknown): string[] => {
    const fn = compiled.get(schemaId) ?? ajv.getSchema(schemaId);
    if (!fn) throw new Error(`no contract schema ${schemaId}`);
    compiled.set(schemaId, fn);
    return fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  };
  return {
    validate,
    forTopic: (topic, value) => validate(TOPIC_SCHEMA_IDS[topic]!, value),
  };
}
