import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which `Host` names and browser origins may reach the service: the defence against DNS rebinding (a page on a
 * name the attacker controls, re-pointed at this service's address, is same-origin with it in the browser's eyes;
 * only the name in `Host` gives it away) and against cross-site WebSockets (which CORS does not cover).
 */
export interface HostPolicy {
  /**
   * `ALLOWED_HOSTS`: names allowed besides the built-in ones; `*.example.com` allows every name under it, `*` turns
   * the Host check off.
   * @default []
   */
  readonly allowedHosts: readonly string[];
  /** `CORS_ALLOWED_ORIGINS`: browser origins allowed besides the service's own; their host names are allowed too. */
  readonly corsAllowedOrigins: readonly string[];
}

/** A `Host` header taken apart: the name lower-cased, one trailing dot removed; IPv6 keeps its brackets. */
export interface HostName {
  readonly name: string;
  readonly port: string | undefined;
  readonly ip: boolean;
}

/** Parses a `Host` header (RFC 9110 §7.2: `uri-host [ ":" port ]`); undefined when it is not one. */
export function parseHost(value: string): HostName | undefined {
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(value);
  if (v6 !== null) {
    const inner = v6[1] ?? '';
    // The URL parser writes IPv6 the way browsers do (RFC 5952: lower case, zeros compressed).
    return isIPv6(inner) ? { name: new URL(`http://[${inner}]`).hostname, port: v6[2], ip: true } : undefined;
  }
  const named = /^([A-Za-z0-9_.-]+)(?::(\d{1,5}))?$/.exec(value);
  if (named === null) return undefined;
  const given = bare(named[1] ?? '');
  if (given === '' || given.split('.').includes('') || !URL.canParse(`http://${given}`)) return undefined;
  // As a browser reads it: `0x7f.1` and `2130706433` are IPv4 addresses (WHATWG URL, "IPv4 parser").
  const name = bare(new URL(`http://${given}`).hostname);
  return { name, port: named[2], ip: isIPv4(name) };
}

/** Decides, per request, whether its `Host` and `Origin` may be served. */
export interface HostGuard {
  /**
   * Why a request must be refused, or undefined when it may go on. `host` is the `Host` header (undefined: none,
   * which no browser sends); `origin` the `Origin` header, which browsers send on WebSocket upgrades and
   * cross-origin requests: it must name this very host and port, or be listed in `CORS_ALLOWED_ORIGINS`.
   */
  refusal(host: string | undefined, origin: string | undefined): string | undefined;
}

/**
 * Built-in names, so that LAN use needs no setting: IP literals (a rebinding page always uses a name),
 * `localhost` and `*.localhost` (RFC 6761 §6.3), single-label names such as the container name
 * `homeiq-websocket` (public DNS does not answer them), and `*.local` (mDNS, RFC 6762; also Kubernetes'
 * `*.svc.cluster.local`).
 */
function builtIn({ name, ip }: HostName): boolean {
  return ip || !name.includes('.') || name === 'localhost' || /\.(localhost|local)$/.test(name);
}

/** Builds the guard for a policy; the policy's lists are read once. */
export function createHostGuard(policy: HostPolicy): HostGuard {
  const off = policy.allowedHosts.includes('*');
  const extra = [...policy.allowedHosts, ...policy.corsAllowedOrigins.flatMap(hostOfOrigin)].map(bare);
  const allowed = (host: HostName) =>
    off ||
    builtIn(host) ||
    extra.some((entry) =>
      entry.startsWith('*.') ? host.name.endsWith(entry.slice(1)) : host.name === entry,
    );
  return {
    refusal(host, origin) {
      const parsed = host === undefined ? undefined : parseHost(host);
      if (host !== undefined && parsed === undefined)
        return `Host ${JSON.stringify(host)} is not a host name`;
      if (parsed !== undefined && !allowed(parsed))
        return `Host ${parsed.name} is not allowed: add it to ALLOWED_HOSTS`;
      if (origin === undefined || policy.corsAllowedOrigins.includes(origin)) return undefined;
      if (parsed !== undefined && sameOrigin(origin, parsed)) return undefined;
      return `Origin ${origin} is not this host and not in CORS_ALLOWED_ORIGINS`;
    },
  };
}

/** Whether an `Origin` (RFC 6454 §6.2: scheme://host[:port]) names the host and port of `host`. */
function sameOrigin(origin: string, host: HostName): boolean {
  const url = urlOf(origin);
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  return bare(url.hostname) === host.name && (url.port || defaultPort) === (host.port ?? defaultPort);
}

function hostOfOrigin(origin: string): string[] {
  const url = urlOf(origin);
  return url === undefined ? [] : [url.hostname];
}

function urlOf(text: string): URL | undefined {
  return URL.canParse(text) ? new URL(text) : undefined;
}

/** Lower case, without the trailing dot of a fully qualified name (`evil.example.` is `evil.example`). */
function bare(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
