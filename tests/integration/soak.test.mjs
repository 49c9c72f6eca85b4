// Load soak (issue 9): a realistic mix against a real `writ serve` — session checks,
// forward-auth checks, refresh rotations, logouts with a new login, failed logins — from
// WRIT_SOAK_CONNECTIONS keep-alive connections (default 256) for WRIT_SOAK_SECONDS (default
// 60 per store, as CI runs it), on SQLite and on PostgreSQL (tests/support/postgres.sh). It fails on any
// unexpected answer or network error, and on growth of the server's memory or file
// descriptors between the end of the warm-up and the end of the run beyond a small bound.
// The long run is the same file with bigger numbers:
//   WRIT_SOAK_SECONDS=600 WRIT_SOAK_CONNECTIONS=256 node --test soak.test.mjs
// WRIT_ROBUSTNESS_OUT=DIR appends the figures to DIR/soak.json (scripts/robustness-report.mjs).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  ACCESS_COOKIE, BROWSER, REFRESH_COOKIE, WritServer, newPassword, parseSetCookie, uniqueName,
} from './harness.mjs';

const SECONDS = Number(process.env.WRIT_SOAK_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.WRIT_SOAK_CONNECTIONS ?? 256);
const USERS = 16;
const POSTGRES_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/postgres.sh');
// Growth allowed between the end of the warm-up (a quarter of the run) and the end.
const RSS_GROWTH_BYTES = 48 * 1024 * 1024;
const FD_GROWTH = 16;

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) {
    await cleanup();
  }
});

// What each step of a virtual user does, and how often (weights add up to 100).
const MIX = [
  { kind: 'session', weight: 45 },
  { kind: 'verify', weight: 40 },
  { kind: 'refresh', weight: 10 },
  { kind: 'logout_login', weight: 4 },
  { kind: 'failed_login', weight: 1 },
];

function pickKind() {
  let roll = Math.random() * 100;
  for (const { kind, weight } of MIX) {
    roll -= weight;
    if (roll < 0) {
      return kind;
    }
  }
  return MIX[0].kind;
}

function request(agent, port, { method = 'GET', path: target, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ host: '127.0.0.1', port, method, path: target, agent, headers: {
      ...headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
    } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error('timeout after 30 s')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

class Stats {
  constructor() {
    this.latencies = new Map();  // kind → [ms]
    this.errors = new Map();     // "kind: what" → count
    this.count = 0;
  }

  record(kind, ms) {
    if (!this.latencies.has(kind)) {
      this.latencies.set(kind, []);
    }
    this.latencies.get(kind).push(ms);
    this.count += 1;
  }

  error(kind, what) {
    const key = `${kind}: ${what}`;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  summary(seconds) {
    const round = (ms) => Math.round(ms * 100) / 100;
    const percentile = (sorted, p) => round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
    const kinds = {};
    for (const [kind, values] of this.latencies) {
      const sorted = [...values].sort((x, y) => x - y);
      kinds[kind] = {
        count: sorted.length, p50_ms: percentile(sorted, 50), p90_ms: percentile(sorted, 90),
        p99_ms: percentile(sorted, 99), max_ms: round(sorted[sorted.length - 1]),
      };
    }
    return { requests: this.count, per_second: Math.round(this.count / seconds), kinds, errors: Object.fromEntries(this.errors) };
  }
}

// The server process's resident memory and open descriptors (Linux /proc).
function sampleProcess(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
  return { rss, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
}

// One virtual user: its own cookies and CSRF token, one keep-alive connection's worth of
// sequential requests.
class VirtualUser {
  constructor(server, agent, account, stats) {
    this.server = server;
    this.agent = agent;
    this.account = account;
    this.stats = stats;
    this.jar = {};
    this.csrf = null;
  }

  headers(extra = {}) {
    const cookie = Object.entries(this.jar).map(([name, value]) => `${name}=${value}`).join('; ');
    return { 'user-agent': 'writ-soak', origin: this.server.origin, 'sec-fetch-site': 'same-origin', ...(cookie ? { cookie } : {}), ...extra };
  }

  absorb(response) {
    for (const line of [].concat(response.headers['set-cookie'] ?? [])) {
      const cookie = parseSetCookie(line);
      if (cookie.attrs['max-age'] === '0' || cookie.value === '') {
        delete this.jar[cookie.name];
      } else {
        this.jar[cookie.name] = cookie.value;
      }
    }
    if (response.body.startsWith('{') && response.body.includes('csrf_token')) {
      this.csrf = JSON.parse(response.body).csrf_token;
    }
  }

  async timed(kind, options, expected) {
    const started = performance.now();
    let response;
    try {
      response = await request(this.agent, this.server.port, options);
    } catch (error) {
      this.stats.error(kind, error.code ?? error.message);
      return null;
    }
    this.stats.record(kind, performance.now() - started);
    if (!expected.includes(response.status)) {
      this.stats.error(kind, `HTTP ${response.status} ${response.body.slice(0, 80)}`);
      return null;
    }
    this.absorb(response);
    return response;
  }

  login() {
    return this.timed('login', {
      method: 'POST', path: '/auth/login', headers: this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ username: this.account.username, password: this.account.password, remember: false }),
    }, [200]);
  }

  async step(kind) {
    switch (kind) {
      case 'session':
        return this.timed(kind, { path: '/auth/session', headers: this.headers() }, [200]);
      case 'verify':
        return this.timed(kind, { path: '/auth/verify', headers: this.headers({ 'x-original-method': 'GET' }) }, [200]);
      case 'refresh':
        return this.timed(kind, { method: 'POST', path: '/auth/refresh', headers: this.headers() }, [200]);
      case 'logout_login': {
        const out = await this.timed('logout', {
          method: 'POST', path: '/auth/logout', headers: this.headers({ 'x-csrf-token': this.csrf }),
        }, [204]);
        this.jar = {};
        return out && this.login();
      }
      case 'failed_login':
        // An account that does not exist: 401, or 429 once its failures lock it.
        return this.timed(kind, {
          method: 'POST', path: '/auth/login', headers: this.headers({ 'content-type': 'application/json' }),
          body: JSON.stringify({ username: `soak-nobody-${Math.floor(Math.random() * 4)}`, password: 'not-the-password' }),
        }, [401, 429]);
      default:
        throw new Error(kind);
    }
  }

  async run(until) {
    if (!(await this.login())) {
      return;
    }
    while (performance.now() < until) {
      if (!(await this.step(pickKind())) || !this.jar[ACCESS_COOKIE] || !this.jar[REFRESH_COOKIE]) {
        // Lost the session (already counted as an error): log in again and go on.
        this.jar = {};
        if (!(await this.login())) {
          return;
        }
      }
    }
  }
}

async function soak(server, label) {
  server.origin = BROWSER.origin;
  const signupAgent = new http.Agent({ keepAlive: true });
  const accounts = [];
  for (let i = 0; i < USERS; i += 1) {
    const account = { username: uniqueName('soak'), password: newPassword() };
    const created = await request(signupAgent, server.port, {
      method: 'POST', path: '/auth/signup', body: JSON.stringify(account),
      headers: { 'content-type': 'application/json', origin: server.origin, 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(created.status, 201, created.body);
    accounts.push(account);
  }
  signupAgent.destroy();

  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const stats = new Stats();
  const pid = server.child.pid;
  const samples = [];
  const started = performance.now();
  const until = started + SECONDS * 1000;
  const sampler = setInterval(() => samples.push({ t: Math.round((performance.now() - started) / 1000), ...sampleProcess(pid) }), 1000);
  const users = Array.from({ length: CONNECTIONS }, (_, i) => new VirtualUser(server, agent, accounts[i % USERS], stats));
  await Promise.all(users.map((user) => user.run(until)));
  clearInterval(sampler);
  samples.push({ t: Math.round((performance.now() - started) / 1000), ...sampleProcess(pid) });
  agent.destroy();

  const elapsed = (performance.now() - started) / 1000;
  const summary = stats.summary(elapsed);
  const warm = samples.find((sample) => sample.t >= SECONDS / 4) ?? samples[0];
  const last = samples[samples.length - 1];
  const result = {
    name: `soak ${label}`, store: label, seconds: Math.round(elapsed), connections: CONNECTIONS, ...summary,
    rss_mib: { warm: +(warm.rss / 2 ** 20).toFixed(1), end: +(last.rss / 2 ** 20).toFixed(1), max: +(Math.max(...samples.map((s) => s.rss)) / 2 ** 20).toFixed(1) },
    fds: { warm: warm.fds, end: last.fds, max: Math.max(...samples.map((s) => s.fds)) },
    samples,
  };
  if (process.env.WRIT_ROBUSTNESS_OUT) {
    fs.mkdirSync(process.env.WRIT_ROBUSTNESS_OUT, { recursive: true });
    const out = path.join(process.env.WRIT_ROBUSTNESS_OUT, 'soak.json');
    const previous = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : [];
    fs.writeFileSync(out, JSON.stringify([...previous.filter((r) => r.name !== result.name), result], null, 2));
  }
  const { samples: _, ...printable } = result;
  console.log(JSON.stringify(printable));

  assert.deepEqual(summary.errors, {}, `unexpected answers or network errors\n${server.logs()}`);
  for (const kind of ['session', 'verify', 'refresh', 'logout', 'login']) {
    assert.ok(summary.kinds[kind]?.count > 0, `no ${kind} request completed`);
  }
  assert.ok(last.rss - warm.rss <= RSS_GROWTH_BYTES, `RSS grew from ${warm.rss} to ${last.rss} bytes`);
  assert.ok(last.fds - warm.fds <= FD_GROWTH, `open descriptors grew from ${warm.fds} to ${last.fds}`);
  assert.ok(last.fds <= CONNECTIONS + 64, `${last.fds} descriptors for ${CONNECTIONS} connections`);
}

// The server's limits sized for the run: one IP (loopback) is every client, so the login
// throttle's per-IP bucket is opened up; connections are allowed with room to spare.
const SOAK_CONFIG = {
  throttle: { ip_rate_per_second: 1e6, ip_burst: 1e6 },
  audit: { sink: 'none' },
};

test(`soak on SQLite: ${CONNECTIONS} connections for ${SECONDS} s`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const server = new WritServer(SOAK_CONFIG);
  cleanups.push(() => server.dispose());
  await server.start();
  await soak(server, 'sqlite');
});

test(`soak on PostgreSQL: ${CONNECTIONS} connections for ${SECONDS} s`, { timeout: (SECONDS + 180) * 1000 }, async () => {
  // 0711: the server runs as the postgres OS user and must reach DIR below this one.
  const pgParent = fs.mkdtempSync(path.join(os.tmpdir(), 'writ-soak-pg-'));
  fs.chmodSync(pgParent, 0o711);
  const pgDir = path.join(pgParent, 'pg');
  const postgres = (command) => {
    const run = spawnSync(POSTGRES_SCRIPT, [command, pgDir], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `postgres.sh ${command}: ${run.stderr}${run.error ?? ''}`);
  };
  postgres('start');
  cleanups.push(() => {
    postgres('stop');
    fs.rmSync(pgParent, { recursive: true, force: true });
  });
  const server = new WritServer({
    ...SOAK_CONFIG,
    store: `postgres:${fs.readFileSync(path.join(pgDir, 'conninfo'), 'utf8').trim()}`,
    store_password: 'env:TEST_STORE_PASSWORD',
  });
  server.secrets.TEST_STORE_PASSWORD = fs.readFileSync(path.join(pgDir, 'password'), 'utf8').trim();
  cleanups.push(() => server.dispose());
  await server.start();
  await soak(server, 'postgres');
});
