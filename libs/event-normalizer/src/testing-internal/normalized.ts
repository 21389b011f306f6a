/** The normalized event of a test event, or a thrown error naming the rejection. Not published. */
import { createEventNormalizer } from '../normalizer.js';
import type { EventNormalizerOptions } from '../options.js';
import type { NormalizedEvent } from '../types.js';
import { stateChanged, type EventSpec } from './events.js';

export function normalized(spec: EventSpec, options: EventNormalizerOptions = {}): NormalizedEvent {
  const result = createEventNormalizer(options).normalize(stateChanged(spec));
  if (!result.ok) throw new Error(`rejected: ${result.reason} ${result.detail}`);
  return result.event;
}
