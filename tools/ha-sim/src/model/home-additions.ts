import { DEVICE_TEMPLATES } from './catalog.js';
import type { HomeCore } from './home-core.js';
import type { AddDeviceOptions, AddEntityOptions } from './home-model-api.js';
import type { EntityKind } from './kind.js';
import { ENTITY_KINDS } from './kind-names.js';
import type { RegistryOps } from './registry-ops.js';
import type { StateMachine } from './state-machine.js';

/**
 * Adding things as an integration does: registry entries first (with their create events), then the
 * first states (state_changed with `old_state: null`).
 */

export function addEntity(
  core: HomeCore,
  machine: StateMachine,
  ops: RegistryOps,
  options: AddEntityOptions,
): string {
  const kind = (ENTITY_KINDS as Partial<Record<string, EntityKind>>)[options.kind];
  if (kind === undefined) throw new RangeError(`Unknown entity kind \`${options.kind}\``);
  const registries = core.registries;
  const device = options.deviceId == null ? null : registries.device(options.deviceId);
  if (device === undefined) throw new RangeError(`Unknown device \`${String(options.deviceId)}\``);
  const deviceName = device === null ? null : (device.name_by_user ?? device.name);
  const friendlyName = deviceName === null ? options.name : `${deviceName} ${options.name}`;
  const at = ops.nowSeconds();
  const platform = device === null ? 'template' : (device.identifiers[0]?.[0] ?? 'template');
  const { entry, definition } = core.addEntity(
    kind,
    device,
    platform,
    device?.primary_config_entry ?? null,
    {
      objectBase: friendlyName,
      originalName: options.name,
      hasEntityName: device !== null,
      friendlyName,
    },
    at,
  );
  if (options.areaId != null) {
    if (registries.area(options.areaId) === undefined)
      throw new RangeError(`Unknown area \`${options.areaId}\``);
    entry.area_id = options.areaId;
  }
  ops.fire('entity_registry_updated', { action: 'create', entity_id: entry.entity_id });
  if (definition !== null) {
    const initial = kind.initial(machine.random, machine.clock.lastMicros);
    const reading =
      options.state === undefined ? initial : { state: options.state, attributes: initial.attributes };
    machine.add(definition, reading, options.attributes ?? null);
  }
  return entry.entity_id;
}

export function addDevice(
  core: HomeCore,
  machine: StateMachine,
  ops: RegistryOps,
  options: AddDeviceOptions,
): { deviceId: string; entityIds: string[] } {
  const template = DEVICE_TEMPLATES[options.template ?? 'plug'];
  const areaId = options.areaId ?? null;
  const area = areaId === null ? undefined : core.registries.area(areaId);
  if (areaId !== null && area === undefined) throw new RangeError(`Unknown area \`${areaId}\``);
  const name = core.uniqueDeviceName(
    options.name ?? (area === undefined ? template.label : `${area.name} ${template.label}`),
  );
  const { device, integration } = core.addDevice(template, name, areaId, ops.nowSeconds());
  ops.fire('device_registry_updated', { action: 'create', device_id: device.id });
  const entityIds: string[] = [];
  for (const kind of template.kinds) {
    const { entry, definition } = core.addDeviceEntity(device, integration, kind, device.created_at);
    ops.fire('entity_registry_updated', { action: 'create', entity_id: entry.entity_id });
    if (definition === null) continue;
    machine.add(definition, kind.initial(machine.random, machine.clock.lastMicros));
    entityIds.push(entry.entity_id);
  }
  return { deviceId: device.id, entityIds };
}
