/** Reading the engine's frames in the load tools: one field of a JSON object, unknown until checked. */
import { isRecord } from '../protocol/index.js';

/** The field `key` of the JSON object in `text`; undefined when the text is not an object or has no such field. */
export function jsonField(text: string, key: string): unknown {
  const value: unknown = JSON.parse(text);
  return isRecord(value) ? value[key] : undefined;
}

/** `jsonField` as a string, or '' when it is not one. */
export function jsonString(text: string, key: string): string {
  const value = jsonField(text, key);
  return typeof value === 'string' ? value : '';
}
