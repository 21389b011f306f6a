import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  HaAreaRegistryEntry,
  HaConfig,
  HaDeviceRegistryEntry,
  HaEntityRegistryEntry,
  HaFloorRegistryEntry,
  HaState,
} from './commands.js';
import { parseFrame, type InboundMessage } from './protocol/parse.js';

/** The keys of `T` that are not optional: what the types promise every HA sends. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** A list of exactly the required keys: the typecheck fails when the type and the list drift apart. */
function requiredKeys<T>() {
  return <const L extends readonly RequiredKeys<T>[]>(
    keys: L & ([Exclude<RequiredKeys<T>, L[number]>] extends [never] ? unknown : never),
  ): readonly string[] => keys as readonly string[];
}

const shapes = {
  'get-config': requiredKeys<HaConfig>()([
    'latitude',
    'longitude',
    'elevation',
    'unit_system',
    'location_name',
    'time_zone',
    'components',
    'config_dir',
    'allowlist_external_dirs',
    'allowlist_external_urls',
    'version',
    'config_source',
    'recovery_mode',
    'safe_mode',
    'state',
    'external_url',
    'internal_url',
    'currency',
    'country',
    'language',
  ]),
  'get-states': requiredKeys<HaState>()([
    'entity_id',
    'state',
    'attributes',
    'last_changed',
    'last_updated',
    'context',
  ]),
  'entity-registry-list': requiredKeys<HaEntityRegistryEntry>()([
    'area_id',
    'categories',
    'config_entry_id',
    'created_at',
    'device_id',
    'disabled_by',
    'entity_category',
    'entity_id',
    'has_entity_name',
    'hidden_by',
    'icon',
    'id',
    'labels',
    'modified_at',
    'name',
    'options',
    'original_name',
    'platform',
    'translation_key',
    'unique_id',
  ]),
  'device-registry-list': requiredKeys<HaDeviceRegistryEntry>()([
    'area_id',
    'configuration_url',
    'config_entries',
    'connections',
    'created_at',
    'disabled_by',
    'entry_type',
    'hw_version',
    'id',
    'identifiers',
    'labels',
    'manufacturer',
    'model',
    'modified_at',
    'name_by_user',
    'name',
    'serial_number',
    'sw_version',
    'via_device_id',
  ]),
  'area-registry-list': requiredKeys<HaAreaRegistryEntry>()([
    'aliases',
    'area_id',
    'floor_id',
    'icon',
    'labels',
    'name',
    'picture',
    'created_at',
    'modified_at',
  ]),
  'floor-registry-list': requiredKeys<HaFloorRegistryEntry>()([
    'aliases',
    'created_at',
    'floor_id',
    'icon',
    'level',
    'name',
    'modified_at',
  ]),
};

interface Fixture {
  readonly haVersion: string;
  readonly received: readonly { readonly type: string; readonly result?: unknown }[];
}

describe('the typed command results match what real Home Assistant sends', () => {
  // Recorded from real HA (tools/real-ha/fixtures, refreshed by its suite); the real thing wins over these types.
  it.each(Object.entries(shapes))('%s: every required key of the type is in every item', (name, keys) => {
    const path = join(__dirname, '../../../tools/real-ha/fixtures', `${name}.json`);
    const fixture = JSON.parse(readFileSync(path, 'utf8')) as Fixture;
    const result = fixture.received.find((m) => m.type === 'result')?.result;
    const items = (Array.isArray(result) ? result : [result]) as Record<string, unknown>[];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(keys.filter((key) => !(key in item))).toEqual([]);
  });
});

describe("HA's error details on a failed result", () => {
  const parseOne = (error: unknown): InboundMessage | undefined => {
    let out: InboundMessage | undefined;
    parseFrame(JSON.stringify({ id: 1, type: 'result', success: false, error }), {
      message: (message) => {
        out = message;
      },
      invalid: () => undefined,
    });
    return out;
  };

  it('keeps string placeholders, drops a malformed set, and never throws, for any error object', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            code: fc.oneof(fc.string(), fc.integer()),
            message: fc.string(),
            translation_key: fc.oneof(fc.string(), fc.constant(null)),
            translation_domain: fc.string(),
            translation_placeholders: fc.oneof(
              fc.dictionary(fc.string(), fc.string()),
              fc.dictionary(fc.string(), fc.jsonValue()),
              fc.jsonValue(),
            ),
          },
          { requiredKeys: [] },
        ),
        (error) => {
          const message = parseOne(error);
          if (message?.type !== 'result' || message.success) throw new Error('not a failed result');
          const { translationKey, translationPlaceholders, translationDomain } = message.error;
          expect(translationKey).toBe(
            typeof error.translation_key === 'string' ? error.translation_key : undefined,
          );
          expect(translationDomain).toBe(error.translation_domain);
          const raw = error.translation_placeholders;
          const valid =
            typeof raw === 'object' &&
            raw !== null &&
            !Array.isArray(raw) &&
            Object.values(raw).every((v) => typeof v === 'string');
          expect(translationPlaceholders).toEqual(valid ? raw : undefined);
        },
      ),
    );
  });
});
