/**
 * The encoders' output, held byte for byte for a fixed corpus: events of a simulated home (every entity kind,
 * churn, unavailable periods, user and parent contexts) and generated hostile text (escapes, quotes, newlines,
 * astral and lone-surrogate code units) in states, friendly names and attributes, each encoded with the settings
 * users run. A change that makes the hot path faster must leave every line as it was; a schema change made on
 * purpose regenerates the expected lines, in a commit of its own:
 *
 *   UPDATE_ENCODER_CORPUS=1 npx jest -c jest.config.cjs src/encoder-corpus.test.ts
 *
 * The input events are stored in the fixture too, so a change of the simulator or of fast-check cannot move the
 * corpus: regenerating keeps the stored events and rewrites only the lines.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createHomeModel, type HaEvent } from '@homeiq/ha-sim';
import fc from 'fast-check';
import { createEventNormalizer } from './normalizer.js';
import type { EventNormalizerOptions } from './options.js';
import type { EntityEnrichment } from './registry-lookup.js';
import { fromWire, stateChanged } from './testing-internal/events.js';
import type { HaEventEnvelope } from './types.js';

const FIXTURE = join(__dirname, 'testing-internal', 'encoder-corpus.json.gz');

/** The settings the corpus is encoded with: the defaults, the bench's and users' common variants, HA's schema. */
const SETTINGS: Readonly<Record<string, EventNormalizerOptions>> = {
  homeiqNs: {},
  homeiqUs: { precision: 'us' },
  homeiqNoAttributes: { precision: 'us', includeAttributes: false },
  ha: { schema: 'ha', precision: 'us' },
};

interface Corpus {
  readonly events: readonly HaEventEnvelope[];
  readonly registry: Readonly<Record<string, EntityEnrichment>>;
  /** Per setting, per event: the line, or `!<reason>` for a rejection. */
  readonly lines: Readonly<Record<string, readonly string[]>>;
}

function simulatedHome(): Pick<Corpus, 'events' | 'registry'> {
  let nowMs = 1736935500000;
  const home = createHomeModel({ entities: 120, seed: 11, now: () => (nowMs += 0.37), churnRatio: 0.02 });
  const events: HaEventEnvelope[] = [];
  home.onEvent((event) => {
    if (event.event_type === 'state_changed')
      events.push(fromWire(JSON.parse(JSON.stringify(event)) as HaEvent));
  });
  home.randomChanges(1200);
  const registry: Record<string, EntityEnrichment> = {};
  for (const event of events) {
    const id = (event.data as { entity_id: string }).entity_id;
    const context = home.entityContext(id);
    if (context !== undefined) registry[id] = context;
  }
  return { events, registry };
}

/** Hostile text in every string the encoders write; a fixed seed, and the result is stored, not regenerated. */
function hostileEvents(): HaEventEnvelope[] {
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\r', '\t', ',', '=', ' ', 'a', 'é', '\u{1F600}') }),
  );
  const attributes = fc.dictionary(
    text,
    fc.oneof(
      text,
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(text, { maxLength: 3 }),
    ),
    { maxKeys: 4 },
  );
  const spec = fc.record({ state: text, friendlyName: text, attributes, number: fc.double() });
  return fc.sample(spec, { seed: 20261204, numRuns: 300 }).map((s, i) =>
    stateChanged({
      entityId: `sensor.hostile_${i % 40}`,
      newState: {
        state: i % 3 === 0 ? String(s.number) : s.state,
        attributes: { ...s.attributes, friendly_name: s.friendlyName, unit_of_measurement: '°C' },
      },
    }),
  );
}

function encodeAll(corpus: Pick<Corpus, 'events' | 'registry'>): Corpus['lines'] {
  const registry = { lookup: (id: string) => corpus.registry[id] };
  return Object.fromEntries(
    Object.entries(SETTINGS).map(([name, options]) => {
      const normalizer = createEventNormalizer({ ...options, registry });
      return [
        name,
        corpus.events.map((event) => {
          const result = normalizer.process(event);
          return result.ok ? result.line : `!${result.reason}`;
        }),
      ];
    }),
  );
}

function readCorpus(): Corpus | undefined {
  if (!existsSync(FIXTURE)) return undefined;
  return JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8')) as Corpus;
}

describe('the encoder corpus', () => {
  const stored = readCorpus();

  if (process.env['UPDATE_ENCODER_CORPUS'] === '1') {
    it('is regenerated (UPDATE_ENCODER_CORPUS=1)', () => {
      const home = simulatedHome();
      const input = stored ?? { events: [...home.events, ...hostileEvents()], registry: home.registry };
      const corpus: Corpus = { events: input.events, registry: input.registry, lines: encodeAll(input) };
      writeFileSync(FIXTURE, gzipSync(JSON.stringify(corpus)));
      expect(corpus.events.length).toBeGreaterThan(1000);
    });
    return;
  }

  it('is present (regenerate it with UPDATE_ENCODER_CORPUS=1)', () => {
    expect(stored).toBeDefined();
  });

  if (stored === undefined) return;
  const encoded = encodeAll(stored);
  for (const name of Object.keys(SETTINGS)) {
    it(`encodes every event byte for byte as stored: ${name}`, () => {
      const expected = stored.lines[name] ?? [];
      expect(expected).toHaveLength(stored.events.length);
      const differing = (encoded[name] ?? []).flatMap((line, i) =>
        line === expected[i] ? [] : [{ event: i, expected: expected[i], actual: line }],
      );
      expect(differing.slice(0, 5)).toEqual([]);
    });
  }

  it('covers lines and rejections of every kind it was built for', () => {
    const lines = stored.lines['homeiqUs'] ?? [];
    expect(lines.filter((line) => !line.startsWith('!')).length).toBeGreaterThan(1000);
    expect(lines.some((line) => line.includes('context_parent_id='))).toBe(true);
    expect(lines.some((line) => line.includes('\\n'))).toBe(true);
  });
});
