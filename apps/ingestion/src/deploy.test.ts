import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
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
interface LockEntry {
  version?: string;
  dev?: boolean;
  link?: boolean;
  resolved?: string;
}

/**
 * What the runtime image would lack of the app's `dependencies`. That image keeps the root node_modules (after
 * `npm prune --omit=dev`, which drops packages the lockfile marks `dev`) and libs/, never apps/ingestion/node_modules:
 * a dependency npm installs only there, or only as a dev package, is missing at run time.
 */
function missingAtRunTime(
  dependencies: Record<string, string>,
  packages: Record<string, LockEntry>,
): string[] {
  const missing: string[] = [];
  for (const [name, version] of Object.entries(dependencies)) {
    const root = packages[`node_modules/${name}`];
    if (packages[`apps/ingestion/node_modules/${name}`] !== undefined)
      missing.push(`${name} is installed under apps/ingestion/node_modules`);
    else if (root === undefined) missing.push(`${name} is not installed in the root node_modules`);
    else if (root.dev === true) missing.push(`${name} is a dev-only package in the root node_modules`);
    else if (root.link === true ? !(root.resolved ?? '').startsWith('libs/') : root.version !== version)
      missing.push(
        `${name} in the root node_modules is ${root.resolved ?? root.version ?? '?'}, not ${version}`,
      );
  }
  for (const [path, entry] of Object.entries(packages))
    if (path.startsWith('apps/ingestion/node_modules/') && entry.dev !== true)
      missing.push(`${path.slice('apps/ingestion/node_modules/'.length)} is needed at run time but nested`);
  return [...new Set(missing)];
}

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

  it('runs with every runtime dependency of the app, each resolved from the root node_modules it copies', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(runtime).toContain('COPY --from=build /app/node_modules ./node_modules');
    expect(runtime).toContain('COPY --from=build /app/libs ./libs');
    expect(runtime).not.toMatch(/apps\/ingestion\/node_modules/);
    const app = JSON.parse(readFileSync(join(root, 'apps/ingestion/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    expect(Object.keys(app.dependencies)).toContain('dotenv');
    expect(missingAtRunTime(app.dependencies, lock.packages)).toEqual([]);
  });

  it('ships the history import beside the service, as the README runs it in the container', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toContain('COPY --from=build /app/apps/ingestion/dist ./apps/ingestion/dist');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const command = /docker compose run --rm homeiq-websocket node (\S+) --since/.exec(readme);
    expect(command?.[1]).toBe('apps/ingestion/dist/backfill/cli.js');
    // The build emits src/backfill/cli.ts there (tsconfig.lib.json: rootDir src, outDir dist).
    expect(readFileSync(join(root, 'apps/ingestion/src/backfill/cli.ts'), 'utf8')).toContain('main()');
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts['backfill']).toBe('node apps/ingestion/dist/backfill/cli.js');
  });
});

describe('docker compose --profile grafana', () => {
  const grafana = compose.services['grafana']!;
  const service = compose.services['homeiq-websocket']!;

  it('runs Grafana with the datasource and the dashboard provisioned from deploy/grafana', () => {
    expect(grafana.profiles).toEqual(['grafana']);
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(grafana.ports).toContain('3000:3000');
    expect(grafana.depends_on?.['influxdb']?.condition).toBe('service_healthy');
    const mounts = new Map(
      (grafana.volumes ?? []).map((v) => {
        const [from = '', to = ''] = v.split(':');
        return [to, from];
      }),
    );
    // Every mounted folder exists in the repository, where Grafana looks for it.
    for (const [to, from] of [
      ['/etc/grafana/provisioning', './deploy/grafana/provisioning'],
      ['/var/lib/grafana/dashboards', './deploy/grafana/dashboards'],
    ] as const) {
      expect(mounts.get(to)).toBe(from);
      expect(readdirSync(join(root, from)).length).toBeGreaterThan(0);
    }
    expect(Object.keys(compose.volumes)).toContain('grafana-data');
  });

  it('gives the datasource the InfluxDB, org, bucket and token the service writes to', () => {
    const env = grafana.environment ?? {};
    const serviceEnv = service.environment ?? {};
    for (const name of ['INFLUXDB_URL', 'INFLUXDB_TOKEN', 'INFLUXDB_ORG', 'INFLUXDB_BUCKET'])
      expect([name, env[name]]).toEqual([name, serviceEnv[name]]);
    const datasources = parse(
      readFileSync(join(root, 'deploy/grafana/provisioning/datasources/influxdb.yaml'), 'utf8'),
    ) as {
      datasources: {
        uid: string;
        type: string;
        url: string;
        jsonData: Record<string, string>;
        secureJsonData: Record<string, string>;
      }[];
    };
    const [influx] = datasources.datasources;
    expect(influx).toMatchObject({
      uid: 'homeiq-influxdb',
      type: 'influxdb',
      url: '${INFLUXDB_URL}',
      jsonData: { version: 'Flux', organization: '${INFLUXDB_ORG}', defaultBucket: '${INFLUXDB_BUCKET}' },
      secureJsonData: { token: '${INFLUXDB_TOKEN}' },
    });
    const providers = parse(
      readFileSync(join(root, 'deploy/grafana/provisioning/dashboards/homeiq.yaml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    expect(providers.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards');
    expect(String(env['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH'])).toBe(
      '/var/lib/grafana/dashboards/homeiq.json',
    );
    const dashboard = JSON.parse(
      readFileSync(join(root, 'deploy/grafana/dashboards/homeiq.json'), 'utf8'),
    ) as {
      uid: string;
      panels: { datasource: { uid: string } }[];
    };
    expect(dashboard.uid).toBe('homeiq-ingest');
    expect(new Set(dashboard.panels.map((p) => p.datasource.uid))).toEqual(new Set(['homeiq-influxdb']));
  });
});

describe('deploy/kubernetes/homeiq-home.yaml', () => {
  interface Probe {
    httpGet?: { path: string; port: string | number };
    exec?: { command: string[] };
  }
  interface Container {
    image: string;
    ports: { name: string; containerPort: number }[];
    env: { name: string; value?: string }[];
    envFrom: { secretRef: { name: string } }[];
    volumeMounts: { name: string; mountPath: string }[];
    readinessProbe: Probe;
    livenessProbe: Probe;
    resources: { requests: { memory: string }; limits: { memory: string } };
  }
  interface Doc {
    kind: string;
    metadata: { name: string };
    stringData?: Record<string, string>;
    spec: {
      replicas?: number;
      serviceName?: string;
      template: { spec: { containers: Container[] } };
      volumeClaimTemplates: { metadata: { name: string }; spec: { accessModes: string[] } }[];
    };
  }
  const docs = parseAllDocuments(readFileSync(join(root, 'deploy/kubernetes/homeiq-home.yaml'), 'utf8')).map(
    (d) => d.toJS() as Doc,
  );
  const byKind = (kind: string) => docs.find((d) => d.kind === kind)!;
  const set = byKind('StatefulSet');
  const container = set.spec.template.spec.containers[0]!;
  const env = new Map(container.env.map((e) => [e.name, e.value]));

  it('runs one pod per home, with DATA_DIR on its own persistent volume', () => {
    expect(docs.map((d) => d.kind).sort()).toEqual(['Secret', 'Service', 'StatefulSet']);
    expect(set.spec.replicas).toBe(1);
    expect(set.spec.serviceName).toBe(byKind('Service').metadata.name);
    const [claim] = set.spec.volumeClaimTemplates;
    expect(claim?.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(container.volumeMounts).toContainEqual({
      name: claim?.metadata.name,
      mountPath: env.get('DATA_DIR'),
    });
    expect(container.image).toBe(compose.services['homeiq-websocket']!.image);
  });

  it('sets only variables the service reads, the secrets from the Secret, one bucket per home', () => {
    const secret = byKind('Secret');
    expect(container.envFrom[0]?.secretRef.name).toBe(secret.metadata.name);
    const names = [...env.keys(), ...Object.keys(secret.stringData ?? {})];
    expect(names.filter((name) => !known.has(name))).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining([
        'HOME_ASSISTANT_URL',
        'HOME_ASSISTANT_TOKEN',
        'INFLUXDB_URL',
        'INFLUXDB_TOKEN',
      ]),
    );
    expect(env.get('INFLUXDB_BUCKET')).toBe('HOME_ID');
    // Every per-home name carries HOME_ID, so one sed makes a home's copy that collides with no other.
    for (const doc of docs) expect(doc.metadata.name).toContain('HOME_ID');
  });

  it('probes /health on the port the service listens on: ready when not unhealthy, alive while it answers', () => {
    const port = container.ports.find((p) => p.name === 'http');
    expect(String(port?.containerPort)).toBe(env.get('WEBSOCKET_INGESTION_PORT'));
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.livenessProbe.exec?.command.join(' ')).toContain(
      `http://127.0.0.1:${String(port?.containerPort)}/health`,
    );
    // MAX_MEMORY_MB below the limit: /health degrades before the kernel would kill the pod.
    expect(Number(env.get('MAX_MEMORY_MB'))).toBeLessThan(parseInt(container.resources.limits.memory, 10));
  });
});
