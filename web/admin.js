// The audit dashboard (role admin): logins over time, throttled IPs and accounts,
// refresh-token reuse alerts, active sessions and the audit events, from
// GET /auth/admin/overview and GET /auth/admin/audit. The chart is SVG built with DOM calls;
// text only ever goes into the page through textContent, never as HTML.
import { cell, showStatus, when } from '/assets/page.js';
import { session, writFetch } from '/assets/writ-client.js';

const SVG = 'http://www.w3.org/2000/svg';
const CHART_WIDTH = 720;
const CHART_HEIGHT = 160;
const AXIS_HEIGHT = 18;

const status = document.getElementById('status');
const dashboard = document.getElementById('dashboard');
const windowSelect = document.getElementById('window');
const filters = document.getElementById('filters');

function show(text, isError = false) {
  showStatus(status, text, isError);
}

function fillTable(id, items, columns, emptyText) {
  const body = document.getElementById(id);
  body.replaceChildren();
  if (items.length === 0) {
    const row = document.createElement('tr');
    const td = cell(row, emptyText, 'empty');
    td.colSpan = columns.length;
    body.append(row);
    return;
  }
  for (const item of items) {
    const row = document.createElement('tr');
    for (const column of columns) {
      const value = column(item);
      cell(row, value.text ?? value, value.className);
    }
    body.append(row);
  }
}

function svg(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  return element;
}

// Stacked bars, failures on top of successes, one per bucket.
function drawChart(series, bucketSeconds) {
  const chart = document.getElementById('chart');
  const picture = svg('svg', { viewBox: `0 0 ${CHART_WIDTH} ${CHART_HEIGHT + AXIS_HEIGHT}`, class: 'chart-svg' });
  const highest = Math.max(1, ...series.map((bar) => bar.success + bar.failure));
  const slot = CHART_WIDTH / Math.max(1, series.length);
  const barWidth = Math.max(1, slot * 0.8);
  series.forEach((bar, index) => {
    const x = index * slot + (slot - barWidth) / 2;
    const successHeight = (bar.success / highest) * CHART_HEIGHT;
    const failureHeight = (bar.failure / highest) * CHART_HEIGHT;
    const group = svg('g', { class: 'bar', 'data-t': bar.t, 'data-success': bar.success, 'data-failure': bar.failure });
    const title = svg('title', {});
    title.textContent = `${when(bar.t)} (+${bucketSeconds / 60} min): ${bar.success} success, ${bar.failure} failure`;
    group.append(title);
    group.append(svg('rect', { x, width: barWidth, y: CHART_HEIGHT - successHeight, height: successHeight, class: 'success' }));
    group.append(svg('rect', { x, width: barWidth, y: CHART_HEIGHT - successHeight - failureHeight, height: failureHeight, class: 'failure' }));
    picture.append(group);
  });
  picture.append(svg('line', { x1: 0, x2: CHART_WIDTH, y1: CHART_HEIGHT, y2: CHART_HEIGHT, class: 'axis' }));
  if (series.length > 0) {
    const first = svg('text', { x: 0, y: CHART_HEIGHT + AXIS_HEIGHT - 4, class: 'axis-label' });
    first.textContent = when(series[0].t);
    const last = svg('text', { x: CHART_WIDTH, y: CHART_HEIGHT + AXIS_HEIGHT - 4, class: 'axis-label end' });
    last.textContent = 'now';
    const top = svg('text', { x: 2, y: 12, class: 'axis-label' });
    top.textContent = String(highest);
    picture.append(first, last, top);
  }
  chart.replaceChildren(picture);
}

function device(userAgent) {
  return { text: userAgent || 'unknown', className: 'device' };
}

function shortHash(hash) {
  return { text: hash ? hash.slice(0, 10) : '', className: 'mono' };
}

function render(overview) {
  const sum = (key) => overview.logins.reduce((total, bar) => total + bar[key], 0);
  document.getElementById('tile-failed').textContent = String(sum('failure'));
  document.getElementById('tile-success').textContent = String(sum('success'));
  document.getElementById('tile-throttled').textContent =
    String(overview.throttled_ips.reduce((total, entry) => total + entry.count, 0));
  document.getElementById('tile-reuse').textContent = String(overview.reuse_alerts.length);
  document.querySelector('.alert-tile').classList.toggle('alerting', overview.reuse_alerts.length > 0);
  document.getElementById('tile-sessions').textContent = String(overview.active_sessions.count);
  drawChart(overview.logins, overview.bucket_seconds);

  fillTable('reuse-rows', overview.reuse_alerts, [
    (alert) => when(alert.time),
    (alert) => alert.username || (alert.user_id === null ? '' : `#${alert.user_id}`),
    (alert) => device(`${alert.detail.first_use_ip ?? ''} · ${alert.detail.first_use_user_agent ?? ''}`),
    (alert) => device(`${alert.detail.reuse_ip ?? alert.ip} · ${alert.detail.reuse_user_agent ?? alert.user_agent}`),
    (alert) => shortHash(alert.session),
  ], 'No reuse in this window.');
  const throttledColumns = [(entry) => entry.value || '(none)', (entry) => String(entry.count), (entry) => when(entry.last_seen)];
  fillTable('throttled-ip-rows', overview.throttled_ips, throttledColumns, 'None.');
  fillTable('throttled-account-rows', overview.throttled_accounts, throttledColumns, 'None.');
  fillTable('session-rows', overview.active_sessions.recent, [
    (entry) => entry.username || `#${entry.user_id}`,
    (entry) => device(`${entry.user_agent}${entry.ip ? ` · ${entry.ip}` : ''}`),
    (entry) => when(entry.last_used_at),
    (entry) => when(entry.created_at),
    (entry) => shortHash(entry.session),
  ], 'No active sessions.');
  document.getElementById('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
}

// GET a dashboard resource: the body, or null after sending the user elsewhere.
async function getJson(path) {
  const response = await writFetch(path, { headers: { Accept: 'application/json' } });
  if (response.status === 401) {
    globalThis.location.replace('/login?next=%2Fadmin');
    return null;
  }
  if (response.status === 403) {
    dashboard.hidden = true;
    show('This page is for administrators (role admin).', true);
    return null;
  }
  if (!response.ok) {
    throw new Error(`${path}: ${response.status}`);
  }
  return response.json();
}

async function loadOverview() {
  const overview = await getJson(`/auth/admin/overview?window=${encodeURIComponent(windowSelect.value)}`);
  if (overview) {
    render(overview);
  }
  return overview !== null;
}

async function loadEvents() {
  const query = new URLSearchParams({ window: windowSelect.value, limit: '100' });
  for (const [name, value] of new FormData(filters)) {
    if (value !== '') {
      query.set(name, value);
    }
  }
  const body = await getJson(`/auth/admin/audit?${query}`);
  if (!body) {
    return;
  }
  fillTable('event-rows', body.events, [
    (event) => when(event.time),
    (event) => event.event,
    (event) => ({ text: event.outcome, className: event.outcome }),
    (event) => event.reason,
    (event) => event.username,
    (event) => event.ip,
    (event) => device(event.user_agent),
  ], 'No events match.');
}

async function loadAll() {
  try {
    if (await loadOverview()) {
      await loadEvents();
      show('');
      dashboard.hidden = false;
    }
  } catch {
    show('The dashboard could not be loaded; try again later.', true);
  }
}

async function start() {
  if (!(await session())) {
    globalThis.location.replace('/login?next=%2Fadmin');
    return;
  }
  await loadAll();
}

windowSelect.addEventListener('change', loadAll);
document.getElementById('reload').addEventListener('click', loadAll);
filters.addEventListener('submit', (event) => {
  event.preventDefault();
  loadEvents().catch(() => show('The events could not be loaded.', true));
});

start().catch(() => show('The server could not be reached.', true));
