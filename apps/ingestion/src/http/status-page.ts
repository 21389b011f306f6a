/**
 * The status page served at `/`: plain HTML and JS, no build step. It polls `/health` every 2 s (connection, rates,
 * queue and spool, the last gap filled from HA's recorder, a sparkline of the event rate over the last minutes) and
 * shows recent events from `/ws`.
 * When the API is guarded by a token, open the page as `/?token=…`: it passes the token on to `/health` and `/ws`.
 */
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HomeIQ Ingest</title>
<style>
  :root { font: 14px/1.4 system-ui, sans-serif; color: #1d2330; background: #f5f6f8; }
  body { margin: 0 auto; max-width: 1100px; padding: 16px; }
  h1 { font-size: 20px; margin: 0 0 12px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
  .card { background: #fff; border-radius: 8px; padding: 12px; box-shadow: 0 1px 2px #0002; }
  .label { color: #667; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
  .value { font-size: 22px; font-weight: 600; }
  .healthy, .connected { color: #137a3a; } .degraded { color: #a86b00; } .unhealthy, .disconnected { color: #b3261e; }
  table { width: 100%; border-collapse: collapse; font: 12px ui-monospace, monospace; }
  td, th { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 280px; }
  #reasons { color: #a86b00; margin: 6px 0 0; }
  svg { width: 100%; height: 60px; }
</style>
</head>
<body>
<h1>HomeIQ Ingest <span id="status" class="value">…</span></h1>
<div class="grid">
  <div class="card"><div class="label">Home Assistant</div><div id="connection" class="value">…</div><div id="ha"></div></div>
  <div class="card"><div class="label">Events / min</div><div id="rate" class="value">…</div><div id="total"></div></div>
  <div class="card"><div class="label">Queue · spool</div><div id="queue" class="value">…</div><div id="written"></div></div>
  <div class="card"><div class="label">Dropped</div><div id="dropped" class="value">…</div><div id="uptime"></div></div>
  <div class="card"><div class="label">Gaps filled from the recorder</div><div id="backfill" class="value">…</div><div id="lastgap"></div></div>
</div>
<div id="reasons"></div>
<div class="card" style="margin-top:12px"><div class="label">Event rate, last 10 minutes</div>
  <svg id="spark" viewBox="0 0 300 60" preserveAspectRatio="none"><polyline id="line" fill="none" stroke="#3b6fd8" stroke-width="1.5" points=""/></svg></div>
<div class="card" style="margin-top:12px"><div class="label">Recent events (<span id="live">connecting…</span>)</div>
  <table><thead><tr><th>time</th><th>entity</th><th>state</th><th>previous</th></tr></thead><tbody id="events"></tbody></table></div>
<script>
  const token = new URLSearchParams(location.search).get('token');
  const headers = token ? { Authorization: 'Bearer ' + token } : {};
  const $ = (id) => document.getElementById(id);
  const history = [];
  function text(id, value, cls) { const el = $(id); el.textContent = value; if (cls !== undefined) el.className = 'value ' + cls; }
  async function poll() {
    try {
      const h = await (await fetch('/health', { headers })).json();
      text('status', h.status, h.status);
      const state = h.connection.current_state;
      text('connection', state, state === 'connected' ? 'connected' : 'disconnected');
      $('ha').textContent = 'HA ' + (h.connection.ha_version || '?') + ' · attempts ' + h.connection.connection_attempts;
      text('rate', Math.round(h.subscription.event_rate_per_minute));
      $('total').textContent = h.subscription.total_events_received + ' received';
      text('queue', h.sink.pending + ' · ' + h.sink.spooled);
      $('written').textContent = h.sink.written + ' written';
      const dropped = Object.values(h.sink.dropped_by_reason || {}).reduce((a, b) => a + b, 0);
      text('dropped', dropped, dropped > 0 ? 'degraded' : 'healthy');
      $('uptime').textContent = 'up ' + h.uptime;
      $('reasons').textContent = (h.reasons || []).join(' · ');
      const b = h.backfill || {};
      text('backfill', b.enabled ? b.points_recovered + ' changes' : 'off');
      const g = b.last_gap;
      const fallbacks = g ? Object.values(g.fallbacks_by_reason).reduce((a, n) => a + n, 0) : 0;
      $('lastgap').textContent = g
        ? 'last: ' + new Date(g.from).toLocaleTimeString() + '–' + new Date(g.to).toLocaleTimeString() + ', ' + g.points_recovered + ' recovered' + (fallbacks ? ', ' + fallbacks + ' final state only' : '')
        : (b.enabled ? 'no gap yet' : '');
      history.push(h.subscription.event_rate_per_minute); if (history.length > 300) history.shift();
      const max = Math.max(1, ...history);
      $('line').setAttribute('points', history.map((v, i) => (i * 300 / 299).toFixed(1) + ',' + (58 - v / max * 56).toFixed(1)).join(' '));
    } catch (e) { text('status', 'unreachable', 'unhealthy'); }
  }
  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws' + (token ? '?token=' + encodeURIComponent(token) : '');
    const ws = new WebSocket(url);
    ws.onopen = () => { $('live').textContent = 'live'; };
    ws.onclose = () => { $('live').textContent = 'reconnecting…'; setTimeout(connect, 2000); };
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type !== 'events') return;
      const body = $('events');
      for (const e of msg.events.slice(-50)) {
        const row = document.createElement('tr');
        for (const v of [e.timeFired, e.entityId, e.state, e.previousState]) {
          const td = document.createElement('td'); td.textContent = v == null ? '' : String(v); row.appendChild(td);
        }
        body.insertBefore(row, body.firstChild);
      }
      while (body.rows.length > 50) body.deleteRow(body.rows.length - 1);
    };
  }
  poll(); setInterval(poll, 2000); connect();
</script>
</body>
</html>
`;
