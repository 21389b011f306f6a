import type { HaSim, HaSimOptions } from '@homeiq/ha-sim';
import { startInfluxd, startInfluxV2Proxy, type Influxd, type InfluxV2Proxy } from '@homeiq/testing';
import { startRig, type Rig, type RigOptions } from './rig.js';
import { startSim } from './sim.js';

/** Options of {@link startWorld}. */
export interface WorldOptions {
  /** The simulated HA (see `startSim`). */
  readonly sim: HaSimOptions;
  /** Also start the InfluxDB 2.x API proxy in front of influxd. @default false */
  readonly proxy?: boolean;
}

/** A scenario's surroundings: a real influxd, the HA simulator, the v2 proxy if asked, and the services on them. */
export interface World {
  readonly influxd: Influxd;
  readonly sim: HaSim;
  /** Set when started with `proxy: true`. */
  readonly proxy: InfluxV2Proxy | undefined;
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
  const influxd = await startInfluxd();
  const proxy = options.proxy === true ? await startInfluxV2Proxy({ target: influxd.url }) : undefined;
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
