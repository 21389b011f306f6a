/**
 * The bounds the sink checks its non-duration options against, exported so that a configuration layer can refuse
 * exactly what {@link createInfluxSink} would refuse, before anything is built.
 */
export const INFLUX_SINK_LIMITS = {
  /** What `url` must look like: an http(s) base URL with a host (the scheme in any case, RFC 3986 §3.1). */
  urlPattern: /^https?:\/\/[^/]/i,
  /** zlib's compression levels for gzipped bodies (https://nodejs.org/api/zlib.html#constants): 1 fastest… */
  minGzipLevel: 1,
  /** …9 smallest. */
  maxGzipLevel: 9,
  /** Writes in flight at once (`maxConcurrentWrites`): at least one… */
  minConcurrentWrites: 1,
  /** …and at most this many, the transport's keep-alive sockets. */
  maxConcurrentWrites: 16,
} as const;
