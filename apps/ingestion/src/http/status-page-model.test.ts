import fc from 'fast-check';
import {
  chartSample,
  linePath,
  niceCeiling,
  numericState,
  parseMetrics,
  registryTree,
  scaledPath,
  searchEntities,
  type RegistryLists,
} from './status-page-model.js';
import { statusPageHtml } from './status-page.js';

const METRICS = `# HELP homeiq_events_received_total Home Assistant events received.
# TYPE homeiq_events_received_total counter
homeiq_events_received_total 120
homeiq_points_written_total 100
homeiq_points_dropped_total{stage="queue",reason="overflow"} 2
homeiq_points_dropped_total{stage="influxdb",reason="rejected"} 3
homeiq_influx_write_duration_seconds_bucket{le="0.005"} 4
homeiq_influx_write_duration_seconds_sum 0.04
homeiq_influx_write_duration_seconds_count 4
homeiq_queue_pending_points 7
process_start_time_seconds 1.7e9
weird_value NaN
`;

/** Every coordinate pair of an SVG path's `M`/`L` commands. */
function coordinates(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('parseMetrics', () => {
  it('sums each name over its label sets and skips comments and non-numbers', () => {
    const totals = parseMetrics(METRICS);
    expect(totals['homeiq_events_received_total']).toBe(120);
    expect(totals['homeiq_points_dropped_total']).toBe(5);
    expect(totals['homeiq_influx_write_duration_seconds_count']).toBe(4);
    expect(totals['process_start_time_seconds']).toBe(1.7e9);
    expect(totals['weird_value']).toBeUndefined();
    expect(Object.keys(totals)).not.toContain('#');
  });

  it('never throws on arbitrary text, and every total is a finite number', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        for (const value of Object.values(parseMetrics(text))) expect(Number.isFinite(value)).toBe(true);
      }),
    );
  });
});

describe('chartSample', () => {
  const at = (received: number, written: number, writes: number, seconds: number) =>
    parseMetrics(
      `homeiq_events_received_total ${received}\nhomeiq_points_written_total ${written}\n` +
        `homeiq_influx_write_duration_seconds_count ${writes}\nhomeiq_influx_write_duration_seconds_sum ${seconds}\n` +
        `homeiq_backfill_points_total 5\nhomeiq_resync_points_total 2\nhomeiq_ha_reconnects_total 1\nhomeiq_spool_points 9`,
    );

  it('has no rates and no latency without a previous reading, only levels', () => {
    const s = chartSample(undefined, 1000, at(10, 5, 1, 0.5));
    expect(s).toEqual({
      atMs: 1000,
      receivedPerS: null,
      writtenPerS: null,
      pending: 0,
      spooled: 9,
      writeLatencyMs: null,
      reconnects: 1,
      gapPoints: 7,
    });
  });

  it('rates are the differences per second, latency the mean of the interval’s writes', () => {
    const first = { atMs: 1000, totals: at(10, 5, 2, 0.02) };
    const s = chartSample(first, 3000, at(50, 25, 6, 0.1));
    expect(s.receivedPerS).toBe(20);
    expect(s.writtenPerS).toBe(10);
    expect(s.writeLatencyMs).toBeCloseTo(20, 9);
    expect(chartSample(first, 3000, at(50, 25, 2, 0.02)).writeLatencyMs).toBeNull();
  });

  it('a counter that went down (the service restarted) gives a rate of 0, not a negative one', () => {
    fc.assert(
      fc.property(fc.nat(1e9), fc.nat(1e9), fc.integer({ min: 1, max: 1e6 }), (a, b, dt) => {
        const s = chartSample({ atMs: 0, totals: at(a, a, 0, 0) }, dt, at(b, b, 0, 0));
        expect(s.receivedPerS).toBeGreaterThanOrEqual(0);
        const expected = (Math.max(0, b - a) / dt) * 1000;
        expect(Math.abs((s.receivedPerS ?? -1) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
      }),
    );
  });
});

describe('niceCeiling', () => {
  it('is the smallest 1, 2 or 5 × 10ⁿ at or above the maximum, at least 1', () => {
    expect([0, 0.3, 1, 1.5, 3, 7, 10, 11, 499, 501].map(niceCeiling)).toEqual([
      1, 1, 1, 2, 5, 10, 10, 20, 500, 1000,
    ]);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (max) => {
        const top = niceCeiling(max);
        expect(top).toBeGreaterThanOrEqual(max);
        expect(top).toBeLessThanOrEqual(Math.max(1, max * 5));
        const mantissa = top / 10 ** Math.floor(Math.log10(top) + 1e-9);
        expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
      }),
    );
  });
});

describe('linePath', () => {
  it('spreads values over the width, 0 at the bottom, breaks at null, clamps to the box', () => {
    expect(linePath([0, 5, 10], 100, 50, 10)).toBe('M0.0 50.0 L50.0 25.0 L100.0 0.0');
    expect(linePath([1, null, 1, 1], 90, 10, 1)).toBe('M0.0 0.0 L0.0 0.0 M60.0 0.0 L90.0 0.0');
    expect(linePath([20, -3], 10, 10, 10)).toBe('M0.0 0.0 L10.0 10.0');
    expect(linePath([], 10, 10, 1)).toBe('');
    expect(linePath([null, null], 10, 10, 1)).toBe('');
  });

  it('draws one reading as a visible segment', () => {
    expect(linePath([3], 600, 100, 10)).toBe('M600.0 70.0 L600.0 70.0');
  });

  it('keeps every point of any series inside the box, one per reading', () => {
    const value = fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null });
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 300 }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        (vs, top) => {
          const points = coordinates(linePath(vs, 600, 118, top));
          // Each reading once, and a lone one (no neighbour drawn) twice.
          const lone = vs.filter(
            (v, i) => v !== null && (vs[i - 1] ?? null) === null && (vs[i + 1] ?? null) === null,
          );
          expect(points.length).toBe(vs.filter((v) => v !== null).length + lone.length);
          for (const [x, y] of points) {
            expect(x).toBeGreaterThanOrEqual(0);
            expect(x).toBeLessThanOrEqual(600);
            expect(y).toBeGreaterThanOrEqual(0);
            expect(y).toBeLessThanOrEqual(118);
          }
        },
      ),
    );
  });
});

describe('scaledPath', () => {
  const box = { x0: 0, x1: 100, y0: 10, y1: 20, width: 200, height: 50 };
  it('places points by value and leaves out those outside the time window', () => {
    expect(
      scaledPath(
        [
          [-5, 12],
          [0, 10],
          [50, 15],
          [100, 20],
        ],
        box,
      ),
    ).toBe('M0.0 50.0 L100.0 25.0 L200.0 0.0');
    expect(scaledPath([[50, 15]], box)).toBe('M100.0 25.0 L100.0 25.0');
    expect(scaledPath([], box)).toBe('');
  });

  it('never produces a coordinate outside the box for points inside the ranges', () => {
    const point = fc.tuple(
      fc.double({ min: 0, max: 100, noNaN: true }),
      fc.double({ min: 10, max: 20, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(point, { maxLength: 100 }), (points) => {
        for (const [x, y] of coordinates(scaledPath(points, box))) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(200);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThanOrEqual(50);
        }
      }),
    );
  });
});

describe('numericState', () => {
  it('reads floats as HA does and nothing else', () => {
    expect(['21.5', '-3', '1e3', ' 7 '].map(numericState)).toEqual([21.5, -3, 1000, 7]);
    expect(['on', 'unknown', 'unavailable', '', '  ', 'NaN', 'Infinity'].map(numericState)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(numericState(null)).toBeNull();
    expect(numericState(5)).toBeNull();
  });
});

describe('searchEntities', () => {
  const choices = [
    { entityId: 'sensor.kitchen_temperature', name: 'Kitchen temperature' },
    { entityId: 'sensor.bedroom_temperature', name: 'Bedroom temperature' },
    { entityId: 'sensor.total_power', name: 'Total power' },
    { entityId: 'number.kitchen_target', name: 'Kitchen target' },
  ];

  it('keeps what contains every word, those starting with the query first, then by id', () => {
    expect(searchEntities(choices, 'kitchen', 10).map((c) => c.entityId)).toEqual([
      'number.kitchen_target',
      'sensor.kitchen_temperature',
    ]);
    expect(searchEntities(choices, 'temp BED', 10).map((c) => c.entityId)).toEqual([
      'sensor.bedroom_temperature',
    ]);
    expect(searchEntities(choices, 'sensor.t', 10).map((c) => c.entityId)).toEqual(['sensor.total_power']);
    expect(searchEntities(choices, '', 2)).toHaveLength(2);
  });

  it('every result matches every word, and nothing matching is left out below the limit', () => {
    const choice = fc.record({ entityId: fc.string(), name: fc.string() });
    fc.assert(
      fc.property(fc.array(choice, { maxLength: 40 }), fc.string({ maxLength: 6 }), (list, query) => {
        const words = query
          .toLowerCase()
          .split(/\s+/)
          .filter((w) => w !== '');
        const matches = (c: { entityId: string; name: string }) =>
          words.every((w) => (c.entityId + ' ' + c.name).toLowerCase().includes(w));
        const found = searchEntities(list, query, 1000);
        expect(found.every(matches)).toBe(true);
        expect(found).toHaveLength(list.filter(matches).length);
      }),
    );
  });
});

describe('registryTree', () => {
  const lists: RegistryLists = {
    areas: [
      { area_id: 'kitchen', name: 'Kitchen', floor_name: 'Ground' },
      { area_id: 'attic', name: 'Attic', floor_name: null },
    ],
    devices: [
      { device_id: 'd1', name: 'Fridge', manufacturer: 'Acme', model: 'F1', area_id: 'kitchen' },
      { device_id: 'd2', name: 'Hub', manufacturer: '', model: 'H', area_id: null },
    ],
    entities: [
      { entity_id: 'sensor.fridge', friendly_name: 'Fridge temp', device_id: 'd1', area_id: 'kitchen' },
      // Its own area overrides its device's: under the area, not under the device.
      { entity_id: 'sensor.fridge_door', friendly_name: 'Door', device_id: 'd1', area_id: 'attic' },
      { entity_id: 'sensor.hub', friendly_name: 'Hub', device_id: 'd2', area_id: null },
      { entity_id: 'sun.sun', friendly_name: 'Sun', device_id: null, area_id: null },
      { entity_id: 'sensor.gone', friendly_name: 'Gone', device_id: null, area_id: 'removed_area' },
    ],
  };

  it('nests areas, devices and entities in HA’s order, what has no area last', () => {
    const tree = registryTree(lists);
    expect(tree.map((a) => [a.name, a.entityCount])).toEqual([
      ['Kitchen', 1],
      ['Attic', 1],
      ['No area', 3],
    ]);
    expect(tree[0]?.devices).toEqual([
      {
        deviceId: 'd1',
        name: 'Fridge',
        model: 'Acme F1',
        entities: [{ entityId: 'sensor.fridge', name: 'Fridge temp' }],
      },
    ]);
    expect(tree[1]?.devices.map((d) => [d.name, d.entities.map((e) => e.entityId)])).toEqual([
      ['(no device)', ['sensor.fridge_door']],
    ]);
    expect(tree[2]?.devices.map((d) => [d.name, d.model, d.entities.map((e) => e.entityId)])).toEqual([
      ['Hub', 'H', ['sensor.hub']],
      ['(no device)', '', ['sun.sun', 'sensor.gone']],
    ]);
  });

  it('shows every entity exactly once and every device, whatever the areas say', () => {
    const id = fc.constantFrom('a', 'b', 'c', null);
    const arb = fc.record({
      areas: fc
        .uniqueArray(fc.constantFrom('a', 'b'), { selector: (x) => x })
        .map((ids) => ids.map((a) => ({ area_id: a, name: a.toUpperCase(), floor_name: null }))),
      devices: fc.uniqueArray(fc.record({ device_id: fc.constantFrom('d1', 'd2', 'd3'), area_id: id }), {
        selector: (d) => d.device_id,
      }),
      entities: fc.uniqueArray(
        fc.record({
          entity_id: fc.string({ minLength: 1 }),
          device_id: fc.constantFrom('d1', 'd2', 'd9', null),
          area_id: id,
        }),
        { selector: (e) => e.entity_id },
      ),
    });
    fc.assert(
      fc.property(arb, (raw) => {
        const tree = registryTree({
          areas: raw.areas,
          devices: raw.devices.map((d) => ({ ...d, name: d.device_id, manufacturer: '', model: '' })),
          entities: raw.entities.map((e) => ({ ...e, friendly_name: e.entity_id })),
        });
        const shown = tree.flatMap((a) => a.devices.flatMap((d) => d.entities.map((e) => e.entityId)));
        expect(shown.sort()).toEqual(raw.entities.map((e) => e.entity_id).sort());
        const devices = tree.flatMap((a) => a.devices.map((d) => d.deviceId)).filter((d) => d !== null);
        expect(new Set(devices)).toEqual(new Set(raw.devices.map((d) => d.device_id)));
        expect(tree.reduce((n, a) => n + a.entityCount, 0)).toBe(raw.entities.length);
      }),
    );
  });
});

describe('statusPageHtml', () => {
  it('embeds the helpers it calls, and a base for a path prefix, escaped', () => {
    const html = statusPageHtml();
    for (const name of [
      'parseMetrics',
      'chartSample',
      'linePath',
      'scaledPath',
      'searchEntities',
      'registryTree',
    ])
      expect(html).toContain(`function ${name}(`);
    expect(html).not.toContain('<base');
    expect(statusPageHtml({ basePath: '/api/hassio_ingress/abc' })).toContain(
      '<base href="/api/hassio_ingress/abc/">',
    );
    expect(statusPageHtml({ basePath: '/x"><script>' })).toContain(
      '<base href="/x&#34;&#62;&#60;script&#62;/">',
    );
  });
});
