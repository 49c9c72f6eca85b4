// Harness of the `writ serve` integration tests: a real server process on loopback with a
// temporary directory (SQLite file, signing key, audit log), an HTTP client on node:http
// with a cookie jar, and a raw-socket helper for requests node:http refuses to send.
//
// The binary comes from WRIT_BINARY (ctest passes $<TARGET_FILE:writ_cli>). Keys are
// generated at run time with `writ keygen`; secrets are random and live only in the
// child's environment. Set WRIT_INTEG_VERBOSE=1 to see the servers' stderr live and
// WRIT_INTEG_KEEP=1 to keep the temporary directories.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ORIGIN = 'http://app.test';
export const ISSUER = 'http://writ.test';
export const AUDIENCE = 'app';
// What a browser sends on a same-origin fetch from the app.
export const BROWSER = Object.freeze({ origin: ORIGIN, 'sec-fetch-site': 'same-origin' });
export const ACCESS_COOKIE = '__Host-writ-access';
export const REFRESH_COOKIE = '__Secure-writ-refresh';

const VERBOSE = process.env.WRIT_INTEG_VERBOSE === '1';
const KEEP = process.env.WRIT_INTEG_KEEP === '1';
// Sanitizer builds start and hash more slowly.
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 30_000;

export function writBinary() {
  const binary = process.env.WRIT_BINARY;
  if (!binary) {
    throw new Error('WRIT_BINARY is not set: point it at the writ binary (ctest does this)');
  }
  return path.resolve(binary);
}

// ---------------------------------------------------------------------------------------
// Everything a server ever sent, to prove that no token reaches a response body.
const seen = { bodies: [], cookieValues: new Set() };

// Fails when any response body seen so far contains a cookie value the server set
// (access JWT, refresh token) or anything shaped like a JWS compact token.
export function assertNoTokenInAnyBody() {
  const jwtShape = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;
  assert.ok(seen.bodies.length > 0, 'no responses were recorded');
  for (const { where, body } of seen.bodies) {
    assert.doesNotMatch(body, jwtShape, `a JWT-shaped string in the body of ${where}: ${body}`);
    for (const value of seen.cookieValues) {
      assert.ok(!body.includes(value), `cookie value ${value.slice(0, 12)}… in the body of ${where}`);
    }
  }
  return { bodies: seen.bodies.length, cookieValues: seen.cookieValues.size };
}

export function allCookieValuesSeen() {
  return [...seen.cookieValues];
}

// ---------------------------------------------------------------------------------------
// Configuration.

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Deep merge; an `undefined` in `overrides` removes the key.
export function mergeConfig(base, overrides) {
  const out = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) {
      delete out[key];
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = mergeConfig(out[key], value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function tomlValue(value) {
  if (typeof value === 'string') {
    return JSON.stringify(value);  // a TOML basic string for our ASCII values
  }
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value));
    return String(value);
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  if (Array.isArray(value)) {
    return `[${value.map(tomlValue).join(', ')}]`;
  }
  throw new Error(`no TOML for ${JSON.stringify(value)}`);
}

export function toToml(config) {
  const lines = [];
  const tables = [];
  for (const [key, value] of Object.entries(config)) {
    if (isPlainObject(value)) {
      tables.push([key, value]);
    } else {
      lines.push(`${key} = ${tomlValue(value)}`);
    }
  }
  for (const [name, table] of tables) {
    lines.push('', `[${name}]`);
    for (const [key, value] of Object.entries(table)) {
      lines.push(`${key} = ${tomlValue(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function defaultConfig(dir) {
  return {
    environment: 'development',
    listen: '127.0.0.1:0',
    allowed_origins: [ORIGIN],
    store: `sqlite:${path.join(dir, 'writ.db')}`,
    tokens: {
      issuer: ISSUER,
      audience: AUDIENCE,
      signing_keys: `file:${path.join(dir, 'signing.jwk')}`,
    },
    secrets: {
      refresh_hash_key: 'env:TEST_REFRESH_KEY',
      csrf_key: 'env:TEST_CSRF_KEY',
    },
    accounts: { signup: true, argon2_opslimit: 2, argon2_memlimit_kib: 19456 },
    throttle: { ip_burst: 10000 },
    audit: { sink: `file:${path.join(dir, 'audit.log')}` },
  };
}

// ---------------------------------------------------------------------------------------
// The server process.

const liveServers = new Set();
process.on('exit', () => {
  for (const server of liveServers) {
    try {
      server.child?.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

export class WritServer {
  constructor(overrides = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'writ-integ-'));
    this.configPath = path.join(this.dir, 'writ.toml');
    this.keyPath = path.join(this.dir, 'signing.jwk');
    this.auditPath = path.join(this.dir, 'audit.log');
    this.dbPath = path.join(this.dir, 'writ.db');
    this.config = mergeConfig(defaultConfig(this.dir), overrides);
    this.secrets = {
      TEST_REFRESH_KEY: crypto.randomBytes(32).toString('hex'),
      TEST_CSRF_KEY: crypto.randomBytes(32).toString('hex'),
    };
    this.child = null;
    this.port = 0;
    this.output = '';
    this.exit = null;
    this.starts = 0;
    const keygen = spawnSync(writBinary(), ['keygen', '--alg', 'EdDSA', '--out', this.keyPath],
      { encoding: 'utf8', timeout: 60_000 });
    assert.equal(keygen.status, 0, `writ keygen failed: ${keygen.stderr}${keygen.error ?? ''}`);
    fs.writeFileSync(this.configPath, toToml(this.config), { mode: 0o600 });
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  // The public key of the signing JWK, for verifying access tokens.
  publicKey() {
    const jwk = JSON.parse(fs.readFileSync(this.keyPath, 'utf8'));
    return crypto.createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
  }

  privateJwk() {
    return JSON.parse(fs.readFileSync(this.keyPath, 'utf8'));
  }

  // The last `chars` characters of the server's stdout and stderr, for failure messages.
  logs(chars = 4000) {
    return this.output.length > chars ? `…${this.output.slice(-chars)}` : this.output;
  }

  // Starts the process and waits for `writ: listening on http://127.0.0.1:PORT`.
  async start() {
    assert.equal(this.child, null, 'server already running');
    this.starts += 1;
    this.output += `\n--- start #${this.starts} ---\n`;
    this.exit = null;
    const child = spawn(writBinary(), ['serve', '--config', this.configPath], {
      cwd: this.dir,
      env: { ...process.env, ...this.secrets },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    liveServers.add(this);
    const exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        this.child = null;
        liveServers.delete(this);
        resolve(this.exit);
      });
    });
    this.exited = exited;
    const collect = (stream) => (chunk) => {
      const text = chunk.toString('utf8');
      this.output += text;
      if (VERBOSE) {
        process.stderr.write(`[writ ${stream}] ${text}`);
      }
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    const listening = new Promise((resolve) => {
      let buffer = '';
      child.stderr.on('data', (chunk) => {
        buffer += chunk.toString('utf8');
        const match = buffer.match(/writ: listening on http:\/\/127\.0\.0\.1:(\d+)/);
        if (match) {
          resolve(Number(match[1]));
        }
      });
    });
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), START_TIMEOUT_MS);
    });
    const first = await Promise.race([listening, exited.then(() => 'exited'), timeout]);
    clearTimeout(timer);
    if (first === 'timeout') {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`writ serve did not print its listening line within ${START_TIMEOUT_MS} ms:\n${this.logs()}`);
    }
    if (first === 'exited') {
      throw new Error(`writ serve exited (${JSON.stringify(this.exit)}) before listening:\n${this.logs()}`);
    }
    this.port = first;
    // Report a crash while tests run: it explains every failure that follows.
    exited.then((exit) => {
      if (!this.stopping && (exit.code !== 0 || exit.signal)) {
        process.stderr.write(`writ serve died unexpectedly ${JSON.stringify(exit)}:\n${this.logs()}\n`);
      }
    });
    return this;
  }

  // SIGTERM and wait; returns {code, signal}. SIGKILL after STOP_TIMEOUT_MS.
  async stop({ signal = 'SIGTERM' } = {}) {
    if (!this.child) {
      return this.exit;
    }
    this.stopping = true;
    this.child.kill(signal);
    let timer;
    const exit = await Promise.race([
      this.exited,
      new Promise((resolve) => {
        timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    this.stopping = false;
    if (exit === null) {
      this.child?.kill('SIGKILL');
      await this.exited;
      throw new Error(`writ serve ignored ${signal} for ${STOP_TIMEOUT_MS} ms:\n${this.logs()}`);
    }
    return exit;
  }

  // For `after()`: stop, fail on an unclean exit, remove the directory.
  async dispose() {
    let exit = null;
    try {
      exit = await this.stop();
    } finally {
      if (!KEEP) {
        fs.rmSync(this.dir, { recursive: true, force: true });
      }
    }
    if (exit && (exit.code !== 0 || exit.signal)) {
      throw new Error(`writ serve exited ${JSON.stringify(exit)} on SIGTERM:\n${this.logs()}`);
    }
  }

  client(options = {}) {
    return new Client(this, options);
  }

  // The audit file's lines, parsed (a line that is not JSON fails the calling test).
  auditLines() {
    if (!fs.existsSync(this.auditPath)) {
      return [];
    }
    const text = fs.readFileSync(this.auditPath, 'utf8');
    return text.split('\n').filter((line) => line.length > 0).map((line, index) => {
      try {
        return { raw: line, ...JSON.parse(line) };
      } catch (error) {
        throw new Error(`audit line ${index + 1} is not JSON (${error.message}): ${line}`);
      }
    });
  }

  auditText() {
    return fs.existsSync(this.auditPath) ? fs.readFileSync(this.auditPath, 'utf8') : '';
  }

  // Audit lines are written before the response (fail closed); poll briefly anyway in case
  // the sink buffers. Returns the lines once `predicate(lines)` holds.
  async waitForAudit(predicate, timeoutMs = 3000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.auditLines();
      if (predicate(lines)) {
        return lines;
      }
      if (Date.now() > deadline) {
        return lines;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export async function startServer(overrides = {}) {
  const server = new WritServer(overrides);
  try {
    await server.start();
  } catch (error) {
    if (!KEEP) {
      fs.rmSync(server.dir, { recursive: true, force: true });
    }
    throw error;
  }
  return server;
}

// ---------------------------------------------------------------------------------------
// HTTP client.

// Parses one Set-Cookie line: {name, value, attrs: {lower-case name: value|true}, raw}.
export function parseSetCookie(line) {
  const parts = line.split(';').map((part) => part.trim());
  const first = parts.shift();
  const eq = first.indexOf('=');
  const attrs = {};
  for (const part of parts) {
    const at = part.indexOf('=');
    if (at < 0) {
      attrs[part.toLowerCase()] = true;
    } else {
      attrs[part.slice(0, at).toLowerCase()] = part.slice(at + 1);
    }
  }
  return { name: first.slice(0, eq), value: first.slice(eq + 1), attrs, raw: line };
}

// One HTTP exchange on a fresh connection (no keep-alive reuse, so a restarted server
// never meets a stale socket). Resolves {status, headers, setCookies, body, json, took}.
export function httpRequest(port, { method = 'GET', path: target = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request({
      host: '127.0.0.1', port, method, path: target, headers, agent: false,
      timeout: REQUEST_TIMEOUT_MS,
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const took = Number(process.hrtime.bigint() - started) / 1e6;
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        if (text.length > 0) {
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
        }
        const setCookies = response.headers['set-cookie'] ?? [];
        const where = `${method} ${target} → ${response.statusCode}`;
        seen.bodies.push({ where, body: text });
        for (const line of setCookies) {
          const { value } = parseSetCookie(line);
          if (value.length >= 8) {
            seen.cookieValues.add(value);
          }
        }
        resolve({
          status: response.statusCode, headers: response.headers, setCookies, body: text, json, took,
          where, toString() {
            return `${where} body=${text} set-cookie=${JSON.stringify(setCookies)}`;
          },
        });
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`${method} ${target}: timed out`)));
    request.on('error', reject);
    if (body !== undefined) {
      request.end(body);
    } else {
      request.end();
    }
  });
}

// A client with its own cookie jar (name → value; Max-Age=0 deletes) and default headers.
// `csrf` is the last csrf_token seen in a JSON body.
export class Client {
  constructor(server, { headers = BROWSER, jar = {}, userAgent = 'writ-integration-test' } = {}) {
    this.server = server;
    this.defaultHeaders = { 'user-agent': userAgent, ...headers };
    this.jar = { ...jar };
    this.csrf = undefined;
    this.last = undefined;
  }

  cookieHeader(jar = this.jar) {
    return Object.entries(jar).map(([name, value]) => `${name}=${value}`).join('; ');
  }

  // options: json (an object, sent as application/json), body (raw string), headers,
  // jar (used instead of this.jar, and not updated), csrf (true: send this.csrf; a string:
  // send that), noCookies.
  async request(method, target, options = {}) {
    const headers = { ...this.defaultHeaders, ...(options.headers ?? {}) };
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) {
        delete headers[name];
      }
    }
    let { body } = options;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
    }
    if (body !== undefined) {
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const jar = options.jar ?? this.jar;
    if (!options.noCookies && Object.keys(jar).length > 0) {
      headers.cookie = this.cookieHeader(jar);
    }
    if (options.csrf === true) {
      assert.ok(this.csrf, 'no CSRF token known to this client');
      headers['x-csrf-token'] = this.csrf;
    } else if (typeof options.csrf === 'string') {
      headers['x-csrf-token'] = options.csrf;
    }
    const response = await httpRequest(this.server.port, { method, path: target, headers, body });
    response.server = this.server;
    if (!options.jar) {
      for (const line of response.setCookies) {
        const cookie = parseSetCookie(line);
        if (cookie.attrs['max-age'] === '0' || cookie.value === '') {
          delete this.jar[cookie.name];
        } else {
          this.jar[cookie.name] = cookie.value;
        }
      }
      if (response.json && typeof response.json.csrf_token === 'string') {
        this.csrf = response.json.csrf_token;
      }
    }
    this.last = response;
    return response;
  }

  get(target, options) {
    return this.request('GET', target, options);
  }

  post(target, options) {
    return this.request('POST', target, options);
  }

  signup(username, password, options = {}) {
    return this.post('/auth/signup', { ...options, json: { username, password } });
  }

  login(username, password, remember = false, options = {}) {
    return this.post('/auth/login', { ...options, json: { username, password, remember } });
  }

  get access() {
    return this.jar[ACCESS_COOKIE];
  }

  get refresh() {
    return this.jar[REFRESH_COOKIE];
  }
}

// Asserts the status and, when given, the JSON error code; the message shows the exchange
// and the server's recent output.
export function expectStatus(response, status, error) {
  const context = () => `${response}\n--- server output ---\n${response.server?.logs?.() ?? ''}`;
  assert.equal(response.status, status, `expected ${status}: ${context()}`);
  if (error !== undefined) {
    assert.deepEqual(response.json, { error }, `expected {"error":"${error}"}: ${context()}`);
  }
  return response;
}

// A fresh account on `server`, logged in on a new client. Returns {client, user, password}.
let accountCounter = 0;
export function uniqueName(prefix = 'user') {
  accountCounter += 1;
  return `${prefix}${accountCounter}_${crypto.randomBytes(3).toString('hex')}`;
}

export function newPassword() {
  return `pw-${crypto.randomBytes(12).toString('base64url')}`;
}

export async function signupAndLogin(server, { remember = false, username = uniqueName(), password = newPassword(), clientOptions } = {}) {
  const client = server.client(clientOptions);
  const signup = await client.signup(username, password);
  assert.equal(signup.status, 201, `signup: ${signup}\n${server.logs()}`);
  const login = await client.login(username, password, remember);
  assert.equal(login.status, 200, `login: ${login}\n${server.logs()}`);
  return { client, username, password, user: login.json.user, login };
}

// ---------------------------------------------------------------------------------------
// JWT helpers (reading only; verification with node:crypto).

export function decodeJwt(token) {
  const parts = token.split('.');
  assert.equal(parts.length, 3, `not a JWS compact token: ${token}`);
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
}

export function verifyEdDsa(token, publicKey) {
  const { signingInput, signature } = decodeJwt(token);
  return crypto.verify(null, Buffer.from(signingInput), publicKey, signature);
}

// A compact JWS signed with an Ed25519 private key (node KeyObject or JWK object).
export function signEdDsa(header, payload, privateKey) {
  const key = privateKey instanceof crypto.KeyObject
    ? privateKey : crypto.createPrivateKey({ key: privateKey, format: 'jwk' });
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${crypto.sign(null, Buffer.from(input), key).toString('base64url')}`;
}

// ---------------------------------------------------------------------------------------
// Raw sockets, for malformed, oversized and slow requests.

// Writes `chunks` (strings or Buffers) with `delayMs` between them, stops writing once the
// server has answered, and resolves when the server closes the connection, when a complete
// response (by Content-Length, or `isComplete(receivedBuffer)` when given) has arrived and
// `untilClose` is false, or after `timeoutMs`. `halfClose` ends the sending side after the
// last chunk when the server has not answered yet.
// Resolves {status, raw, head, body, closed, error, elapsedMs}.
export function rawExchange(port, chunks, {
  delayMs = 0, timeoutMs = 10_000, untilClose = false, isComplete = null, halfClose = false,
} = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let done = false;
    let error = null;
    let closed = false;
    let timer = null;
    const finish = () => {
      if (done) {
        return;
      }
      done = true;
      clearTimeout(timer);
      const raw = received.toString('latin1');
      const headEnd = raw.indexOf('\r\n\r\n');
      const head = headEnd >= 0 ? raw.slice(0, headEnd) : raw;
      const match = raw.match(/^HTTP\/1\.[01] (\d{3})/);
      socket.destroy();
      resolve({
        status: match ? Number(match[1]) : null,
        raw,
        head,
        body: headEnd >= 0 ? raw.slice(headEnd + 4) : '',
        closed,
        error: error?.code ?? null,
        elapsedMs: Date.now() - started,
      });
    };
    const complete = () => {
      const raw = received.toString('latin1');
      const headEnd = raw.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        return false;
      }
      const length = raw.slice(0, headEnd).match(/\r\ncontent-length:\s*(\d+)/i);
      return length !== null && received.length >= headEnd + 4 + Number(length[1]);
    };
    timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (!untilClose && (isComplete ? isComplete(received) : complete())) {
        finish();
      }
    });
    socket.on('error', (err) => {
      error = err;
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('connect', async () => {
      for (let i = 0; i < chunks.length; i += 1) {
        if (done || received.length > 0 || socket.destroyed) {
          return;
        }
        socket.write(chunks[i]);
        if (delayMs > 0 && i + 1 < chunks.length) {
          await new Promise((r) => setTimeout(r, delayMs));
        }
      }
      if (halfClose && !socket.destroyed) {
        socket.end();
      }
    });
  });
}

// Calls `request` (an async function resolving to a response with a status) again and again,
// `pauseMs` apart, until stop() is called; stop() resolves to
// {count, statuses: Map status → count, errors: [...]}.
export function startPoller(request, pauseMs = 5) {
  let running = true;
  const statuses = new Map();
  const errors = [];
  let count = 0;
  const loop = (async () => {
    while (running) {
      try {
        const response = await request();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      } catch (err) {
        errors.push(err.message);
      }
      count += 1;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { count, statuses, errors };
    },
  };
}

// Polls GET /healthz on fresh connections (see startPoller).
export function healthPoller(server) {
  return startPoller(() => httpRequest(server.port, { path: '/healthz' }));
}
