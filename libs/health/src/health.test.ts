import { createHealth, type CheckResult, type HealthCheck } from './health.js';

function fixed(name: string, result: CheckResult, critical?: boolean): HealthCheck {
  return critical === undefined ? { name, check: () => result } : { name, critical, check: () => result };
}

describe('createHealth', () => {
  it('is healthy with no checks and with only healthy checks', () => {
    expect(createHealth().report()).toEqual({ status: 'healthy', reasons: [], checks: {} });
    const health = createHealth({
      checks: [fixed('a', { status: 'healthy' }), fixed('b', { status: 'healthy' })],
    });
    expect(health.report().status).toBe('healthy');
  });

  it('is unhealthy when a critical check is unhealthy, with reasons prefixed by component', () => {
    const health = createHealth({
      checks: [
        fixed('connection', { status: 'unhealthy', reasons: ['auth_invalid'] }),
        fixed('sink', { status: 'degraded', reasons: ['retrying'] }),
      ],
    });
    expect(health.report()).toMatchObject({
      status: 'unhealthy',
      reasons: ['connection: auth_invalid', 'sink: retrying'],
    });
  });

  it('only degrades for an unhealthy non-critical check', () => {
    const health = createHealth({
      checks: [fixed('discovery', { status: 'unhealthy', reasons: ['x'] }, false)],
    });
    expect(health.report().status).toBe('degraded');
    expect(health.report().checks['discovery']?.status).toBe('unhealthy');
  });

  it('treats a throwing check as unhealthy instead of throwing', () => {
    const health = createHealth({
      checks: [
        {
          name: 'broken',
          check: () => {
            throw new Error('boom');
          },
        },
      ],
    });
    expect(health.report()).toMatchObject({ status: 'unhealthy', reasons: ['broken: check failed: boom'] });
  });

  it('registers and unregisters checks, and rejects duplicate names', () => {
    const health = createHealth();
    const remove = health.register(fixed('a', { status: 'degraded' }));
    expect(() => health.register(fixed('a', { status: 'healthy' }))).toThrow('unique check name, got `a`');
    expect(health.report().status).toBe('degraded');
    remove();
    remove();
    expect(health.report().status).toBe('healthy');
  });
});
