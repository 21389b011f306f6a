import type { HaSim, HaSimOptions } from '@homeiq/ha-sim';
import { startFaultProxy, startInfluxd2, type FaultProxy, type Influxd2 } from '@homeiq/testing';
import { startRig, type Rig, type RigOptions } from './rig.js';
import { startSim } from './sim.js';

/** Options of {@link startWorld}. */
export interface WorldOptions {
  /** The simulated HA (see `startSim`). */
  readonly sim: HaSimOptions;
  /** Also start the fault proxy in front of the real InfluxDB 2.8. @default false */
  readonly proxy?: boolean;
}

/** A scenario's surroundings: a real InfluxDB 2.8, the HA simulator, the fault proxy if asked, and the services. */
export interface World {
  readonly influxd: Influxd2;
  readonly sim: HaSim;
  /** Set when started with `proxy: true`. */
  readonly proxy: FaultProxy | undefined;
  /** Starts a service against this world's HA and influxd (`proxy: world.proxy` to write through the proxy). */
  rig(options: Omit<RigOptions, 'influxd' | 'sim'>): Promise<Rig>;
  /**
   * Registers what a test started (a driver, samplers, pollers): `dispose` stops it first, latest first, so a test
   * that failed half way leaves nothing running that would keep jest from exiting. Stopping twice must be harmless.
   */
  stopOnDispose(stop: () => unknown): void;
  /** Stops what was registered, every service started here, then the simulator, the proxy and influxd. */
  dispose(): Promise<void>;
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const influxd = await startInfluxd2();
  const proxy = options.proxy === true ? await startFaultProxy({ target: influxd.url }) : undefined;
  const sim = await startSim(options.sim);
  const rigs: Rig[] = [];
  const stops: (() => unknown)[] = [];
  return {
    influxd,
    sim,
    proxy,
    async rig(rigOptions) {
      const rig = await startRig({ influxd, sim, ...rigOptions });
      rigs.push(rig);
      return rig;
    },
    stopOnDispose(stop) {
      stops.push(stop);
    },
    async dispose() {
      for (const stop of stops.splice(0).reverse()) await stop();
      for (const rig of rigs) await rig.dispose();
      await sim.close();
      await proxy?.close();
      await influxd.dispose();
    },
  };
}
