/**
 * `ha-sim` command: a simulated Home Assistant for the demo and the benchmarks.
 *   npx ha-sim --entities 500 --rate 50 --port 8123 --token T
 */
import { parseCliArgs, USAGE } from './cli-args.js';
import { startHaSim } from './server/sim.js';

/** Runs the simulator until SIGINT/SIGTERM; resolves with the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    console.error(`ha-sim: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const home = {
    entities: options.entities,
    seed: options.seed,
    ...(options.devices === undefined ? {} : { devices: options.devices }),
  };
  const sim = await startHaSim({
    port: options.port,
    host: options.host,
    token: options.token,
    haVersion: options.haVersion,
    perMessageDeflate: options.perMessageDeflate,
    home,
  });
  const stream = options.ratePerSecond > 0 ? sim.stream({ ratePerSecond: options.ratePerSecond }) : null;
  console.log(`ha-sim: Home Assistant ${sim.haVersion} simulated at ${sim.url}`);
  console.log(`  WebSocket  ${sim.wsUrl}`);
  console.log(`  token      ${sim.token}`);
  console.log(
    `  home       ${sim.home.entityIds().length} entities, ${sim.home.devices.length} devices, ${sim.home.areas.length} areas, seed ${options.seed}`,
  );
  console.log(
    `  events     ${options.ratePerSecond > 0 ? `${options.ratePerSecond} state_changed/s` : 'none (--rate 0)'}`,
  );
  const status = setInterval(() => {
    const stats = sim.stats();
    console.log(
      `ha-sim: ${sim.clients()} clients, ${stats.eventsSent} events sent, ${stats.slowClientCloses} slow-client closes`,
    );
  }, 10_000);
  status.unref();
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      console.log(`ha-sim: ${signal}, closing`);
      clearInterval(status);
      stream?.stop();
      sim.close().then(
        () => {
          resolve(0);
        },
        (error: unknown) => {
          console.error('ha-sim: close failed', error);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => {
      stop('SIGINT');
    });
    process.once('SIGTERM', () => {
      stop('SIGTERM');
    });
  });
}
