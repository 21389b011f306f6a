import {
  chartSample,
  linePath,
  niceCeiling,
  numericState,
  parseMetrics,
  registryTree,
  scaledPath,
  searchEntities,
} from './status-page-model.js';
import { STATUS_PAGE_SCRIPT } from './status-page-script.js';
import { STATUS_PAGE_STYLE } from './status-page-style.js';

/**
 * The status page served at `/`: plain HTML, CSS, JS and SVG, no build step and no library. It reads `/metrics`
 * and `/health` every second and charts, after the samples the service kept (`/status/history`, status-history.ts),
 * so that it starts full: events per second received vs
 * written, the queue and spool, the InfluxDB write time, reconnects and the points written for gaps; it shows
 * recent events and a live value chart of any numeric entity (picked from a searchable list) from `/ws`, and the
 * registry (areas → devices → entities) from `/api/*`.
 * When the API is guarded by a token, open the page as `/?token=…`: it passes the token on to `/api/*` (as a
 * Bearer header) and to `/ws`. Every URL it uses is relative, so it also works under a path prefix (`basePath`,
 * e.g. Home Assistant's ingress: `X-Ingress-Path`).
 */
export function statusPageHtml(options: { readonly basePath?: string } = {}): string {
  const base = options.basePath === undefined ? '' : `<base href="${escapeAttribute(options.basePath)}/">\n`;
  const helpers = [
    parseMetrics,
    chartSample,
    niceCeiling,
    linePath,
    scaledPath,
    numericState,
    searchEntities,
    registryTree,
  ]
    .map((fn) => fn.toString())
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${base}<title>HomeIQ Ingest</title>
<style>${STATUS_PAGE_STYLE}</style>
</head>
<body>
<h1>HomeIQ Ingest <span id="status" class="value">…</span></h1>
<div id="reasons"></div>
<div id="influx-hint" class="hint" hidden>
  <b>No InfluxDB is configured</b>: points are kept in the spool under <code>DATA_DIR</code> and written once
  <code>INFLUXDB_URL</code> is set (README, Quick start). For <code>npm run demo</code>, install one and start the demo
  again: <code>npm run influx:install</code> (builds InfluxDB 2.8 once) or <code>sudo apt-get install influxdb</code>
  (Debian's 1.6.7).
</div>
<div class="grid">
  <div class="card"><div class="label">Home Assistant</div><div id="connection" class="value">…</div><div id="ha"></div></div>
  <div class="card"><div class="label">Events / min</div><div id="rate" class="value">…</div><div id="total"></div></div>
  <div class="card"><div class="label">Queue · spool</div><div id="queue" class="value">…</div><div id="written"></div></div>
  <div class="card"><div class="label">Dropped</div><div id="dropped" class="value">…</div><div id="uptime"></div></div>
  <div class="card"><div class="label">Gaps filled from the recorder</div><div id="backfill" class="value">…</div><div id="lastgap"></div></div>
</div>
<div class="charts">
${chartCard('chart-rate', 'Events per second: received vs written')}
${chartCard('chart-queue', 'Points waiting: in memory · in the spool')}
${chartCard('chart-latency', 'InfluxDB write time (ms, mean per second)')}
${chartCard('chart-reconnects', 'Reconnects to Home Assistant')}
${chartCard('chart-gaps', 'Points written for gaps (recorder backfill + final states)')}
</div>
<div class="two">
  <div class="card"><div class="label">Live value</div>
    <input id="entity-search" type="search" placeholder="Search numeric entities…" autocomplete="off">
    <ul id="entity-results"></ul>
    <div id="value-title" class="subtitle">waiting for a numeric state…</div>
    <svg id="value-chart" viewBox="0 0 600 160" preserveAspectRatio="none"><line class="grid" x1="0" y1="80" x2="600" y2="80"/><path id="value-path" class="series s0" d=""/></svg>
    <div class="axis"><span id="value-range"></span><span id="value-last"></span></div>
  </div>
  <div class="card"><div class="label">Registry: areas → devices → entities <button id="registry-refresh" type="button">refresh</button></div>
    <div id="registry-summary" class="subtitle">loading…</div>
    <div id="registry"></div>
  </div>
</div>
<div class="card" style="margin-top:12px"><div class="label">Recent events (<span id="live">connecting…</span>)</div>
  <table><thead><tr><th>time</th><th>entity</th><th>state</th><th>previous</th></tr></thead><tbody id="events"></tbody></table></div>
<script>
${helpers}
${STATUS_PAGE_SCRIPT}
</script>
</body>
</html>
`;
}

/** The page at `/`, without a path prefix. */
export const STATUS_PAGE_HTML = statusPageHtml();

function chartCard(id: string, title: string): string {
  return `<div class="card chart" id="${id}"><div class="label">${title}</div><div class="legend"></div>
  <svg viewBox="0 0 600 120" preserveAspectRatio="none"><line class="grid" x1="0" y1="1" x2="600" y2="1"/><line class="grid" x1="0" y1="60" x2="600" y2="60"/><line class="grid" x1="0" y1="119" x2="600" y2="119"/><path class="series s0" d=""/><path class="series s1" d=""/></svg>
  <div class="axis"><span class="span"></span><span class="top"></span></div></div>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
