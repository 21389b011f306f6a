import { setupDiscovery } from '../testing-internal/setup-discovery.js';

describe('duplicate ids in a registry list', () => {
  it('keeps the first, counts every skipped entry in stats().issues and reports each id once through onDrop', async () => {
    const { discovery, connection, drops } = setupDiscovery();
    await discovery.start();
    const [device] = connection.registries.devices;
    const [entity] = connection.registries.entities;
    if (device === undefined || entity === undefined) throw new Error('smallHome has devices and entities');
    connection.registries.devices.push({ ...device, name: 'Second' }, { ...device, name: 'Third' });
    connection.registries.entities.push({ ...entity, name: 'Again' });
    expect(await discovery.refreshAll()).toBe(true);

    expect(discovery.stats().issues).toEqual({ 'devices.duplicate_id': 2, 'entities.duplicate_id': 1 });
    expect(drops).toEqual([
      {
        registry: 'devices',
        reason: 'duplicate_id',
        detail: `id "${String(device['id'])}" listed 3 times; item 0 kept, 2 skipped`,
      },
      {
        registry: 'entities',
        reason: 'duplicate_id',
        detail: `id "${String(entity['entity_id'])}" listed 2 times; item 0 kept, 1 skipped`,
      },
    ]);
    expect(discovery.view().device(String(device['id']))?.name).toBe(device['name']);
  });
});
