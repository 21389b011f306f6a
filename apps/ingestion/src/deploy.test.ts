import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { VARIABLES } from './config/variables.js';

/**
 * No Docker engine runs here, so the compose file and the Dockerfile are checked by reading them: the wiring a
 * user relies on (names, ports, variables, volumes, health checks) must match what the service really reads.
 */
const root = resolve(__dirname, '../../..');

interface ComposeService {
  image?: string;
  build?: unknown;
  container_name?: string;
  ports?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  command?: string[];
  deploy?: { resources?: { limits?: { memory?: string; cpus?: string } } };
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const known = new Set<string>(VARIABLES.flatMap((v) => [v.name, ...('aliases' in v ? v.aliases : [])]));

describe('docker-compose.yml', () => {
  const service = compose.services['homeiq-websocket']!;
  const influx = compose.services['influxdb']!;

  it('runs the service as container homeiq-websocket on port 8001, after a healthy InfluxDB', () => {
    expect(service.container_name).toBe('homeiq-websocket');
    expect(service.ports).toContain('8001:8001');
    expect(service.depends_on?.['influxdb']?.condition).toBe('service_healthy');
    expect(service.deploy?.resources?.limits?.memory).toBeDefined();
  });

  it('passes only variables the service reads', () => {
    const unknown = Object.keys(service.environment ?? {}).filter((name) => !known.has(name));
    expect(unknown).toEqual([]);
  });

  it('wires InfluxDB 2.7 setup to the same org, bucket and token the service uses', () => {
    expect(influx.image).toBe('influxdb:2.7');
    const env = influx.environment ?? {};
    const serviceEnv = service.environment ?? {};
    expect(env['DOCKER_INFLUXDB_INIT_MODE']).toBe('setup');
    expect(env['DOCKER_INFLUXDB_INIT_ORG']).toBe(serviceEnv['INFLUXDB_ORG']);
    expect(env['DOCKER_INFLUXDB_INIT_BUCKET']).toBe(serviceEnv['INFLUXDB_BUCKET']);
    expect(env['DOCKER_INFLUXDB_INIT_ADMIN_TOKEN']).toBe(serviceEnv['INFLUXDB_TOKEN']);
    expect(serviceEnv['INFLUXDB_URL']).toBe('http://influxdb:8086');
    expect(influx.healthcheck?.test).toBeDefined();
  });

  it('keeps the data directory and InfluxDB data on named volumes', () => {
    const dataDir = String(service.environment?.['DATA_DIR']);
    expect(service.volumes).toContain(`ingestion-data:${dataDir}`);
    expect(influx.volumes).toContain('influxdb-data:/var/lib/influxdb2');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['ingestion-data', 'influxdb-data']));
  });

  it('has a demo profile running the bundled simulator from the same image', () => {
    const sim = compose.services['ha-sim']!;
    expect(sim.profiles).toEqual(['demo']);
    expect(sim.image).toBe(service.image);
    expect(sim.command?.[1]).toBe('tools/ha-sim/bin/ha-sim.js');
    expect(dockerfile).toContain('COPY --from=build /app/tools/ha-sim/dist ./tools/ha-sim/dist');
  });
});

describe('Dockerfile', () => {
  it('builds in a separate stage and runs as a non-root user with a HEALTHCHECK on /health', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health/m);
    expect(dockerfile).toMatch(/^EXPOSE 8001$/m);
    expect(dockerfile).toContain('CMD ["node", "apps/ingestion/dist/main.js"]');
  });
});
