import fc from 'fast-check';
import { createHostGuard } from './host-policy.js';

const policy = {
  allowedHosts: ['ingest.example.com', '*.lan.example.org'],
  corsAllowedOrigins: ['http://dash.example.net:3000', 'https://board.local'],
};
const guard = createHostGuard(policy);

const portArb = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
/** Upper-cases some letters: host names are case-insensitive (RFC 4343). */
const anyCase = (name: string): fc.Arbitrary<string> =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((flips) => name.replace(/./g, (ch, i: number) => (flips[i] === true ? ch.toUpperCase() : ch)));
const trailingDot = (name: string) => fc.constantFrom(name, `${name}.`);
// A DNS label that starts with a letter: an all-digit name is an IPv4 address to a browser (WHATWG URL, "IPv4
// parser"), and one like `08` is no valid address at all, so the guard rightly refuses it as a Host (CI drew it).
const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,14}[a-z0-9])?$/);

/** Names the service serves with the policy above, each labelled for the report of a failure. */
const allowedName = fc.oneof(
  fc.ipV4(),
  fc.ipV6().map((ip) => `[${ip}]`),
  fc.constant('localhost'),
  label.map((l) => `${l}.localhost`),
  label,
  fc.constant('homeiq-websocket'),
  fc.tuple(label, label).map(([a, b]) => `${a}.${b}.local`),
  fc.constantFrom('ingest.example.com', 'dash.example.net', 'board.local'),
  label.map((l) => `${l}.lan.example.org`),
);

/** Public DNS names an attacker can point at the service's address. */
const rebindingName = fc
  .domain()
  .filter((d) => d.includes('.') && !/\.(local|localhost|lan\.example\.org)$/i.test(d))
  .filter((d) => !['ingest.example.com', 'dash.example.net', 'lan.example.org'].includes(d.toLowerCase()));

const hostHeader = (name: string, port: number | undefined) =>
  port === undefined ? name : `${name}:${String(port)}`;

describe('createHostGuard', () => {
  it('serves the built-in and listed names, in any case, with or without a port or a trailing dot', () => {
    fc.assert(
      fc.property(
        allowedName.chain((n) => (n.startsWith('[') ? fc.constant(n) : trailingDot(n).chain(anyCase))),
        portArb,
        (name, port) => {
          expect(guard.refusal(hostHeader(name, port), undefined)).toBeUndefined();
        },
      ),
    );
  });

  it("refuses every public name, whatever the Origin says (the issue's evil.example:8001 among them)", () => {
    expect(guard.refusal('evil.example:8001', 'http://evil.example:8001')).toBe(
      'Host evil.example is not allowed: add it to ALLOWED_HOSTS',
    );
    fc.assert(
      fc.property(
        rebindingName.chain((n) => trailingDot(n).chain(anyCase)),
        portArb,
        fc.constantFrom('same', 'none', 'listed'),
        (name, port, originKind) => {
          const host = hostHeader(name, port);
          const origin = {
            same: `http://${host.toLowerCase()}`,
            none: undefined,
            listed: 'https://board.local',
          }[originKind];
          expect(guard.refusal(host, origin)).toMatch(/^Host .* is not allowed: add it to ALLOWED_HOSTS$/);
        },
      ),
    );
  });

  it('accepts an Origin only when it is this host and port, or listed in CORS_ALLOWED_ORIGINS', () => {
    const origins = fc.oneof(
      fc.constant({ kind: 'same' as const }),
      fc.constantFrom(...policy.corsAllowedOrigins).map((o) => ({ kind: 'listed' as const, origin: o })),
      fc.record({ kind: fc.constant('foreign' as const), name: rebindingName, port: portArb }),
      fc.constant({ kind: 'other-port' as const }),
      fc
        .constantFrom('null', 'file://', 'chrome-extension://abc')
        .map((o) => ({ kind: 'opaque' as const, origin: o })),
    );
    fc.assert(
      fc.property(
        allowedName,
        fc.integer({ min: 1, max: 65534 }),
        fc.constantFrom('http', 'https'),
        origins,
        (name, port, scheme, o) => {
          const host = `${name}:${String(port)}`;
          const origin =
            o.kind === 'same'
              ? `${scheme}://${host}`
              : o.kind === 'other-port'
                ? `${scheme}://${name}:${String(port + 1)}`
                : o.kind === 'foreign'
                  ? `${scheme}://${hostHeader(o.name, o.port)}`
                  : o.origin;
          const reason = guard.refusal(host, origin);
          if (o.kind === 'same' || o.kind === 'listed') expect(reason).toBeUndefined();
          else expect(reason).toBe(`Origin ${origin} is not this host and not in CORS_ALLOWED_ORIGINS`);
        },
      ),
    );
  });

  it('takes default ports into account and refuses what is not a host name', () => {
    expect(guard.refusal('192.168.1.5', 'http://192.168.1.5:80')).toBeUndefined();
    expect(guard.refusal('nas.local:443', 'https://nas.local')).toBeUndefined();
    expect(guard.refusal('[::1]:8001', 'http://[0:0::1]:8001')).toBeUndefined();
    for (const bad of ['', 'a b', 'evil.example:8001@x', 'a..b', '[zz]:1', 'x:99999999'])
      expect(guard.refusal(bad, undefined)).toBe(`Host ${JSON.stringify(bad)} is not a host name`);
  });

  it('turns the Host check off with ALLOWED_HOSTS=*, keeping the Origin check', () => {
    const open = createHostGuard({ allowedHosts: ['*'], corsAllowedOrigins: [] });
    fc.assert(
      fc.property(rebindingName, (name) => {
        expect(open.refusal(`${name}:8001`, `http://${name}:8001`)).toBeUndefined();
        expect(open.refusal(`${name}:8001`, 'http://other.example:8001')).toMatch(/^Origin /);
      }),
    );
  });
});
