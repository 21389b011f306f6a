/**
 * The status page's script (status-page.ts puts it after the helpers of status-page-model.ts, which it calls).
 * It draws; what it draws is computed by those helpers. Every URL is relative to the page (or its `<base>`), so the
 * page works at `/` and under a proxy's path prefix alike.
 */
export const STATUS_PAGE_SCRIPT = String.raw`
  const token = new URLSearchParams(location.search).get('token');
  const headers = token ? { Authorization: 'Bearer ' + token } : {};
  const $ = (id) => document.getElementById(id);
  const MAX_SAMPLES = 300;
  const MAX_VALUES = 600;
  const samples = [];
  let previous;

  const CHARTS = [
    { id: 'chart-rate', series: [['received', 'receivedPerS'], ['written', 'writtenPerS']], digits: 1 },
    { id: 'chart-queue', series: [['memory', 'pending'], ['spool', 'spooled']], digits: 0 },
    { id: 'chart-latency', series: [['write', 'writeLatencyMs']], digits: 1 },
    { id: 'chart-reconnects', series: [['reconnects', 'reconnects']], digits: 0 },
    { id: 'chart-gaps', series: [['gap points', 'gapPoints']], digits: 0 },
  ];

  function text(id, value, cls) { const el = $(id); el.textContent = value; if (cls !== undefined) el.className = 'value ' + cls; }
  function fmt(v, digits) { return v === null || v === undefined ? '–' : Number(v).toFixed(digits); }

  function drawCharts() {
    const span = samples.length > 1 ? Math.round((samples[samples.length - 1].atMs - samples[0].atMs) / 1000) : 0;
    for (const chart of CHARTS) {
      const card = $(chart.id);
      const values = chart.series.map(([, key]) => samples.map((s) => s[key]));
      const top = niceCeiling(Math.max(0, ...values.flat().filter((v) => v !== null)));
      const paths = card.querySelectorAll('path.series');
      const legend = [];
      chart.series.forEach(([name], i) => {
        paths[i].setAttribute('d', linePath(values[i], 600, 118, top));
        const last = values[i].length ? values[i][values[i].length - 1] : null;
        legend.push('<i class="s' + i + '"></i>' + name + ' <b>' + fmt(last, chart.digits) + '</b>');
      });
      card.querySelector('.legend').innerHTML = legend.join('');
      card.querySelector('.top').textContent = 'max ' + top;
      card.querySelector('.span').textContent = span > 0 ? 'last ' + span + ' s' : 'starting…';
    }
  }

  function showHealth(h) {
    text('status', h.status, h.status);
    const state = h.connection.current_state;
    text('connection', state, state === 'connected' ? 'connected' : 'disconnected');
    $('ha').textContent = 'HA ' + (h.connection.ha_version || '?') + ' · attempts ' + h.connection.connection_attempts;
    text('rate', Math.round(h.subscription.event_rate_per_minute));
    $('total').textContent = h.subscription.total_events_received + ' received';
    text('queue', h.sink.pending + ' · ' + h.sink.spooled);
    $('written').textContent = h.sink.written + ' written';
    $('influx-hint').hidden = h.sink.configured !== false;
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
  }

  async function poll() {
    try {
      const [health, metrics] = await Promise.all([fetch('health', { headers }), fetch('metrics')]);
      showHealth(await health.json());
      const atMs = Date.now();
      const totals = parseMetrics(await metrics.text());
      samples.push(chartSample(previous, atMs, totals));
      previous = { atMs, totals };
      while (samples.length > MAX_SAMPLES) samples.shift();
      drawCharts();
    } catch (e) { text('status', 'unreachable', 'unhealthy'); }
  }

  // Live values: every numeric state seen on /ws since the page opened, per entity.
  const values = new Map();
  const names = new Map();
  let selected = null;

  function remember(e) {
    if (e.friendlyName) names.set(e.entityId, e.friendlyName);
    const v = numericState(e.state);
    if (v === null) return;
    let entry = values.get(e.entityId);
    if (entry === undefined) {
      if (values.size >= 2000) return;
      entry = { unit: e.unitOfMeasurement || '', points: [] };
      values.set(e.entityId, entry);
      if (selected === null) select(e.entityId);
      renderResults();
    }
    entry.unit = e.unitOfMeasurement || entry.unit;
    entry.points.push([Date.parse(e.timeFired) || Date.now(), v]);
    if (entry.points.length > MAX_VALUES) entry.points.shift();
  }

  function select(entityId) {
    selected = entityId;
    renderResults();
    drawValue();
  }

  function choices() {
    const list = [];
    const seen = new Set();
    for (const id of values.keys()) { seen.add(id); list.push({ entityId: id, name: names.get(id) || '' }); }
    for (const [id, name] of names) {
      if (!seen.has(id) && /^(sensor|number|input_number|counter)\./.test(id)) list.push({ entityId: id, name });
    }
    return list;
  }

  function renderResults() {
    const ul = $('entity-results');
    const found = searchEntities(choices(), $('entity-search').value, 50);
    ul.replaceChildren(...found.map((c) => {
      const li = document.createElement('li');
      li.textContent = c.entityId + (c.name ? ' — ' + c.name : '') + (values.has(c.entityId) ? '' : ' (no value yet)');
      li.dataset.entityId = c.entityId;
      if (c.entityId === selected) li.className = 'selected';
      li.onclick = () => select(c.entityId);
      return li;
    }));
  }

  function drawValue() {
    const entry = selected === null ? undefined : values.get(selected);
    const path = $('value-path');
    if (selected === null) return;
    $('value-title').textContent = selected + (names.get(selected) ? ' — ' + names.get(selected) : '') + (entry && entry.unit ? ' (' + entry.unit + ')' : '');
    if (entry === undefined || entry.points.length === 0) {
      path.setAttribute('d', '');
      $('value-range').textContent = 'no numeric state since the page opened';
      $('value-last').textContent = '';
      return;
    }
    const ys = entry.points.map((p) => p[1]);
    let y0 = Math.min(...ys);
    let y1 = Math.max(...ys);
    if (y0 === y1) { y0 -= 1; y1 += 1; }
    const pad = (y1 - y0) * 0.1;
    const x1 = Math.max(Date.now(), entry.points[entry.points.length - 1][0]);
    const x0 = Math.min(entry.points[0][0], x1 - 60000);
    path.setAttribute('d', scaledPath(entry.points, { x0, x1, y0: y0 - pad, y1: y1 + pad, width: 600, height: 160 }));
    $('value-range').textContent = 'min ' + Math.min(...ys) + ' · max ' + Math.max(...ys) + ' · ' + entry.points.length + ' changes';
    $('value-last').textContent = 'now ' + ys[ys.length - 1] + (entry.unit ? ' ' + entry.unit : '');
  }

  $('entity-search').addEventListener('input', renderResults);

  function connect() {
    const url = new URL('ws', document.baseURI);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (token) url.searchParams.set('token', token);
    const ws = new WebSocket(url.href);
    ws.onopen = () => { $('live').textContent = 'live'; };
    ws.onclose = () => { $('live').textContent = 'reconnecting…'; setTimeout(connect, 2000); };
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type !== 'events') return;
      for (const e of msg.events) remember(e);
      const body = $('events');
      for (const e of msg.events.slice(-50)) {
        const row = document.createElement('tr');
        for (const v of [e.timeFired, e.entityId, e.state, e.previousState]) {
          const td = document.createElement('td'); td.textContent = v == null ? '' : String(v); row.appendChild(td);
        }
        body.insertBefore(row, body.firstChild);
      }
      while (body.rows.length > 50) body.deleteRow(body.rows.length - 1);
      drawValue();
    };
  }

  async function getJson(path) {
    const res = await fetch(path, { headers });
    if (res.status === 401) throw new Error('the API needs the token: open this page as ?token=<INGESTION_API_TOKEN>');
    if (!res.ok) throw new Error(path + ' answered ' + res.status);
    return res.json();
  }

  async function loadRegistry() {
    try {
      const [areas, devices, entities] = await Promise.all([
        getJson('api/areas'), getJson('api/devices?limit=1000'), getJson('api/entities?limit=10000'),
      ]);
      for (const e of entities.entities) if (!names.has(e.entity_id)) names.set(e.entity_id, e.friendly_name);
      const tree = registryTree({ areas: areas.areas, devices: devices.devices, entities: entities.entities });
      $('registry-summary').textContent = areas.count + ' areas · ' + devices.count + ' devices · ' + entities.count + ' entities';
      $('registry').replaceChildren(...tree.map((area) => {
        const a = document.createElement('details');
        const s = document.createElement('summary');
        s.innerHTML = '<b></b> <span class="count"></span>';
        s.firstChild.textContent = area.name;
        s.lastChild.textContent = (area.floor ? area.floor + ' · ' : '') + area.devices.length + ' devices · ' + area.entityCount + ' entities';
        a.appendChild(s);
        for (const device of area.devices) {
          const d = document.createElement('details');
          const ds = document.createElement('summary');
          ds.innerHTML = '<span></span> <span class="count"></span>';
          ds.firstChild.textContent = device.name;
          ds.lastChild.textContent = (device.model ? device.model + ' · ' : '') + device.entities.length + ' entities';
          d.appendChild(ds);
          for (const entity of device.entities) {
            const row = document.createElement('div');
            row.className = 'entity';
            row.dataset.entityId = entity.entityId;
            row.textContent = entity.entityId + ' — ' + entity.name;
            row.onclick = () => select(entity.entityId);
            d.appendChild(row);
          }
          a.appendChild(d);
        }
        return a;
      }));
      renderResults();
    } catch (e) {
      $('registry-summary').textContent = String(e.message || e);
    }
  }
  $('registry-refresh').onclick = loadRegistry;

  // The service keeps the last minutes of samples: a page opened late starts with full charts.
  async function start() {
    try {
      const res = await fetch('status/history');
      if (res.ok) samples.push(...(await res.json()).samples.slice(-MAX_SAMPLES));
    } catch (e) { /* an older service without the history: the charts fill from now */ }
    poll(); setInterval(poll, 1000);
  }
  start(); connect(); loadRegistry();
  setInterval(drawValue, 1000);
`;
