/**
 * The normalizer copies what the registry lookup answers; the join and its precedence rules (own area over the
 * device's, `name_by_user` over `name`, deleted areas and devices) are the lookup's, tested in
 * @homeiq/registry-discovery (`entity-context.test.ts`).
 */
import { createEventNormalizer } from './normalizer.js';
import type { EntityEnrichment, RegistryLookup } from './registry-lookup.js';
import { fakeRegistry, stateChanged, T1, UNASSIGNED } from './testing-internal/events.js';
import { normalized } from './testing-internal/normalized.js';

/** The enrichment fields of a normalized event. */
function enrichmentOf(event: EntityEnrichment): EntityEnrichment {
  const { deviceId, deviceName, manufacturer, model, areaId, areaName } = event;
  const { floorId, floorName, platform, entityCategory, labels } = event;
  return {
    deviceId,
    deviceName,
    manufacturer,
    model,
    areaId,
    areaName,
    floorId,
    floorName,
    platform,
    entityCategory,
    labels,
  };
}

describe('normalize: registry enrichment', () => {
  // Every field distinct, so a field copied into the wrong slot shows.
  const desk: EntityEnrichment = {
    deviceId: 'd1',
    deviceName: 'Desk plug',
    manufacturer: 'Shelly',
    model: 'Plus Plug S',
    areaId: 'office',
    areaName: 'Office',
    floorId: 'first',
    floorName: 'First floor',
    platform: 'shelly',
    entityCategory: 'diagnostic',
    labels: ['l1', 'l2'],
  };

  it("copies every field of the lookup's answer, as it is", () => {
    const registry = fakeRegistry({ 'sensor.desk_power': desk });
    const event = normalized({ entityId: 'sensor.desk_power' }, { registry });
    expect(enrichmentOf(event)).toEqual(desk);
    expect(event.labels).toBe(desk.labels);
  });

  it('adds no rule of its own: whatever the lookup leaves null stays null', () => {
    const registry = fakeRegistry({
      'sensor.partial': { deviceId: 'gone', areaName: 'Office', platform: 'x' },
    });
    expect(enrichmentOf(normalized({ entityId: 'sensor.partial' }, { registry }))).toEqual({
      ...UNASSIGNED,
      deviceId: 'gone',
      areaName: 'Office',
      platform: 'x',
    });
  });

  it('leaves everything null (labels empty) for an unlisted entity and without a registry', () => {
    const registry = fakeRegistry({ 'sensor.desk_power': desk });
    expect(enrichmentOf(normalized({ entityId: 'sensor.unregistered' }, { registry }))).toEqual(UNASSIGNED);
    expect(enrichmentOf(normalized({ entityId: 'sensor.desk_power' }))).toEqual(UNASSIGNED);
  });

  it('reads the lookup on every event it keeps, so registry changes apply at once', () => {
    const asked: string[] = [];
    let area = 'office';
    const registry: RegistryLookup = {
      lookup(entityId) {
        asked.push(entityId);
        return { ...UNASSIGNED, areaId: area };
      },
    };
    const normalizer = createEventNormalizer({ registry, exclude: { domains: ['light'] } });
    const first = normalizer.normalize(stateChanged({}));
    area = 'kitchen';
    const second = normalizer.normalize(stateChanged({}));
    normalizer.normalize(stateChanged({ entityId: 'light.excluded' }));
    normalizer.normalize({ eventType: 'state_changed', data: {}, timeFired: T1 });
    expect([first.ok && first.event.areaId, second.ok && second.event.areaId]).toEqual(['office', 'kitchen']);
    expect(asked).toEqual(['sensor.living_room_temperature', 'sensor.living_room_temperature']);
  });
});
