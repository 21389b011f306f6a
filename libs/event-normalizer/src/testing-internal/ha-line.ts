/** The `ha` schema line of one event, for the ha-schema tests. Not part of the published build. */
import type { HaSchemaOptions } from '../ha-config.js';
import { createEventNormalizer } from '../normalizer.js';
import type { OmitReason } from '../types.js';
import { stateChanged, T1_US } from './events.js';

/** The timestamp of every test line, in ns. */
export const NS = `${T1_US}000`;

export function haLine(
  entityId: string,
  state: string,
  attributes: Record<string, unknown>,
  ha: HaSchemaOptions = {},
): { line: string | undefined; reason: string | undefined; omitted: string[] } {
  const omitted: string[] = [];
  const normalizer = createEventNormalizer({
    schema: 'ha',
    ha,
    onOmit: (reason: OmitReason, key: string) => omitted.push(`${reason}:${key}`),
  });
  const result = normalizer.process(stateChanged({ entityId, newState: { state, attributes } }));
  return {
    line: result.ok ? result.line : undefined,
    reason: result.ok ? undefined : result.reason,
    omitted,
  };
}
