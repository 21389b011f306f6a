import { randomHexId, type RandomFn } from '../util/random.js';
import type { DeviceTemplate } from './catalog.js';
import { INTEGRATIONS, type Integration } from './catalog-places.js';
import type { EntityKind } from './kind.js';
import { newConfigEntry, newDevice, newEntityEntry } from './registry-factories.js';
import { Registries, slugify, uniqueId, type Mutable } from './registry.js';
import type { EntityDefinition } from './state-record.js';
import type { HaDeviceEntry, HaEntityEntry } from './wire-types.js';

/** The registries plus what the state machine needs to know about each entity. Internal to the model. */
export class HomeCore {
  readonly registries = new Registries();
  /** Entity definitions by entity_id, for every registry entity that can have a state. */
  readonly definitions = new Map<string, EntityDefinition>();
  readonly userIds: string[] = [];
  readonly #sharedEntries = new Map<string, string>();

  constructor(readonly random: RandomFn) {}

  newUserId(): string {
    const id = randomHexId(this.random);
    this.userIds.push(id);
    return id;
  }

  /** The config entry a new device joins: shared per integration, or its own for per-device integrations. */
  configEntryFor(integration: Integration, deviceName: string, atSeconds: number): string {
    const shared = this.#sharedEntries.get(integration.domain);
    if (shared !== undefined && !integration.entryPerDevice) return shared;
    const entry = newConfigEntry(
      this.random,
      integration,
      integration.entryPerDevice ? deviceName : integration.title,
      atSeconds,
    );
    this.registries.configEntries.push(entry);
    if (!integration.entryPerDevice) this.#sharedEntries.set(integration.domain, entry.entry_id);
    return entry.entry_id;
  }

  uniqueDeviceName(base: string): string {
    const taken = new Set(this.registries.devices.map((device) => device.name));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
  }

  uniqueEntityId(domain: string, objectBase: string): string {
    const objectId = uniqueId(
      slugify(objectBase),
      (candidate) =>
        this.definitions.has(`${domain}.${candidate}`) ||
        this.registries.entity(`${domain}.${candidate}`) !== undefined,
    );
    return `${domain}.${objectId}`;
  }

  /** Creates a device from a template with its first `kindCount` entities; returns the enabled definitions. */
  addDevice(
    template: DeviceTemplate,
    name: string,
    areaId: string | null,
    atSeconds: number,
  ): { device: Mutable<HaDeviceEntry>; integration: Integration } {
    const integration = INTEGRATIONS[template.integration];
    if (integration === undefined) throw new Error(`unknown integration ${template.integration}`);
    const entryId = this.configEntryFor(integration, name, atSeconds);
    const device = newDevice(this.random, {
      name,
      areaId,
      integration,
      entryId,
      manufacturer: template.manufacturer,
      model: template.model,
      modelId: template.modelId,
      swVersion: template.swVersion,
      entryType: integration.domain === 'sun' ? 'service' : null,
      createdAtSeconds: atSeconds,
    });
    this.registries.devices.push(device);
    return { device, integration };
  }

  /**
   * Registers one entity of a device (or a device-less one). Diagnostic signal-strength entities are
   * registered disabled by the integration, as many integrations do: they have no state.
   */
  addEntity(
    kind: EntityKind,
    device: HaDeviceEntry | null,
    platform: string,
    configEntryId: string | null,
    names: { objectBase: string; originalName: string | null; hasEntityName: boolean; friendlyName: string },
    atSeconds: number,
    fixedAttributes: Readonly<Record<string, unknown>> = {},
  ): { entry: Mutable<HaEntityEntry>; definition: EntityDefinition | null } {
    const entityId = this.uniqueEntityId(kind.domain, names.objectBase);
    const disabled = kind.key === 'signal_strength' ? 'integration' : null;
    const deviceKey = device?.identifiers[0]?.[1] ?? slugify(names.objectBase);
    const entry = newEntityEntry(this.random, {
      entityId,
      platform,
      uniqueId: `${deviceKey}-${kind.key === '' ? kind.domain : kind.key}`,
      configEntryId,
      deviceId: device?.id ?? null,
      hasEntityName: names.hasEntityName,
      originalName: names.originalName,
      entityCategory: kind.entityCategory,
      options: kind.options,
      disabledBy: disabled,
      createdAtSeconds: atSeconds,
    });
    this.registries.entities.push(entry);
    if (disabled !== null) return { entry, definition: null };
    const definition: EntityDefinition = {
      entityId,
      kind,
      friendlyName: names.friendlyName,
      fixedAttributes,
    };
    this.definitions.set(entityId, definition);
    return { entry, definition };
  }

  /** Registers a device's entity the has_entity_name way: friendly name "<device> <entity name>". */
  addDeviceEntity(
    device: HaDeviceEntry,
    integration: Integration,
    kind: EntityKind,
    atSeconds: number,
  ): { entry: Mutable<HaEntityEntry>; definition: EntityDefinition | null } {
    const deviceName = device.name_by_user ?? device.name ?? integration.title;
    const friendlyName = kind.originalName === null ? deviceName : `${deviceName} ${kind.originalName}`;
    return this.addEntity(
      kind,
      device,
      integration.domain,
      device.primary_config_entry,
      {
        objectBase: friendlyName,
        originalName: kind.originalName,
        hasEntityName: true,
        friendlyName,
      },
      atSeconds,
    );
  }
}
