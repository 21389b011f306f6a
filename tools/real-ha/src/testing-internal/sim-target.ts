import type { HaSim } from '@homeiq/ha-sim';
import type { ProtocolTarget } from '../fixtures/target.js';

/**
 * The recorded exchanges' mutations through the simulator's home model (the simulator does not implement
 * HA's registry mutation commands; its model fires the same events HA fires for them).
 */
export function simTarget(sim: HaSim): ProtocolTarget {
  const home = sim.home;
  const first = (domain: string): string => {
    const entityId = home.entityIds().find((id) => id.startsWith(`${domain}.`));
    if (entityId === undefined) throw new Error(`the simulated home has no ${domain}`);
    return entityId;
  };
  const historyEntities = { toggle: first('switch'), sensor: first('sensor') };
  return {
    wsUrl: sim.wsUrl,
    token: sim.token,
    changeStates() {
      // The simulator's realistic mix (user, automation and system contexts) stands for real HA's actions.
      const sent = sim.emitStateChanges(40);
      return Promise.resolve((events) => events.length >= sent);
    },
    createFloor: (name, level) => Promise.resolve(home.addFloor(name, level)),
    createArea: (name, floorId) => Promise.resolve(home.addArea(name, floorId)),
    renameArea(areaId, name) {
      home.updateArea(areaId, { name });
      return Promise.resolve();
    },
    removeArea(areaId) {
      home.removeArea(areaId);
      return Promise.resolve();
    },
    registryEntityId() {
      const entry = home.entities.find(
        (e) => e.disabled_by === null && home.getState(e.entity_id) !== undefined,
      );
      if (entry === undefined) throw new Error('the simulated home has no enabled entity');
      return Promise.resolve(entry.entity_id);
    },
    moveEntityToArea(entityId, areaId) {
      home.moveEntityToArea(entityId, areaId);
      return Promise.resolve();
    },
    renameEntityId(entityId, newEntityId) {
      home.renameEntity(entityId, newEntityId);
      return Promise.resolve();
    },
    deviceId() {
      const device = home.devices[0];
      if (device === undefined) throw new Error('the simulated home has no device');
      return Promise.resolve(device.id);
    },
    moveDeviceToArea(deviceId, areaId) {
      home.moveDeviceToArea(deviceId, areaId);
      return Promise.resolve();
    },
    historyEntities,
    setToggle(on) {
      sim.setState(historyEntities.toggle, on ? 'on' : 'off');
      return Promise.resolve();
    },
    setSensor(state, attributes) {
      sim.setState(historyEntities.sensor, state, attributes);
      return Promise.resolve();
    },
    recorderCommitted() {
      // The simulator commits when told to (its commit interval runs on its own timers).
      sim.recorder?.commit();
      return Promise.resolve();
    },
  };
}
