// Forward-auth behind a real nginx (issue 6): Debian's nginx on loopback runs
// examples/nginx/writ.conf (only the three addresses replaced) in front of a small upstream
// that echoes what it receives. No cookie → 401; after login the upstream sees the user
// headers and never the token; a client-sent X-Writ-User never reaches it; logout works at
// once; an unsafe method without the CSRF header is refused at the gateway.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  ACCESS_COOKIE, Client, expectStatus, newPassword, startServer, uniqueName,
} from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const exampleConfig = path.join(here, '..', '..', 'examples', 'nginx', 'writ.conf');
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => fs.existsSync(candidate));

let writ;
let upstream;
let nginx;
let gateway;  // {port} for harness Clients
const seenByUpstream = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function startUpstream() {
  const server = http.createServer((request, response) => {
    const seen = { method: request.method, url: request.url, headers: request.headers };
    seenByUpstream.push(seen);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(seen));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function startNginx(writPort, upstreamPort) {
  assert.ok(NGINX, 'nginx is not installed (scripts/setup.sh installs nginx-light)');
  const dir = fs.mkdtempSync(path.join(writ.dir, 'nginx-'));
  const listenPort = await freePort();
  const site = fs.readFileSync(exampleConfig, 'utf8')
    .replace('server 127.0.0.1:8443;', `server 127.0.0.1:${writPort};`)
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${upstreamPort};`)
    .replace('listen 127.0.0.1:8080;', `listen 127.0.0.1:${listenPort};`);
  assert.ok(site.includes(`127.0.0.1:${listenPort}`) && site.includes(`127.0.0.1:${writPort}`),
    'the example configuration no longer has the addresses this test replaces');
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), [
    'daemon off;', 'worker_processes 1;', `pid ${dir}/nginx.pid;`, `error_log ${dir}/error.log;`,
    'events { worker_connections 256; }',
    'http {',
    `  access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir};`,
    `  fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};`,
    `  include ${dir}/site.conf;`,
    '}', '',
  ].join('\n'));
  const child = spawn(NGINX, ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const connected = await new Promise((resolve) => {
      const socket = net.connect(listenPort, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (connected) {
      break;
    }
    assert.ok(child.exitCode === null, `nginx exited: ${output}`);
    assert.ok(Date.now() < deadline, `nginx did not listen: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, port: listenPort, dir };
}

before(async () => {
  writ = await startServer({ trusted_proxies: ['127.0.0.1'] });
  upstream = await startUpstream();
  nginx = await startNginx(writ.port, upstream.address().port);
  gateway = { port: nginx.port };
});

after(async () => {
  nginx?.child.kill('SIGTERM');
  upstream?.close();
  await writ?.dispose();
});

function browser() {
  return new Client(gateway);
}

async function loggedIn() {
  const client = browser();
  const username = uniqueName();
  const password = newPassword();
  expectStatus(await client.signup(username, password), 201);
  expectStatus(await client.login(username, password), 200);
  return { client, username };
}

test('no cookie: 401 at the gateway, and the upstream is never asked', async () => {
  const before = seenByUpstream.length;
  const response = await browser().get('/app/orders');
  expectStatus(response, 401, 'invalid_token');
  assert.equal(seenByUpstream.length, before);
});

test('after login through the gateway the upstream sees the user, never the token', async () => {
  const { client, username } = await loggedIn();
  const response = expectStatus(await client.get('/app/orders?page=2'), 200);
  const seen = response.json;
  assert.equal(seen.url, '/app/orders?page=2');
  assert.equal(seen.headers['x-writ-user'], username);
  assert.equal(seen.headers['x-writ-roles'], 'user');
  assert.match(seen.headers['x-writ-user-id'], /^\d+$/);
  assert.ok(seen.headers['x-writ-session']?.length > 10);
  const token = client.jar[ACCESS_COOKIE];
  assert.ok(!JSON.stringify(seen).includes(token), 'the access token reached the upstream');
});

test('a client-sent X-Writ-User never reaches the upstream', async () => {
  const { client, username } = await loggedIn();
  const spoofed = expectStatus(await client.get('/app/me', {
    headers: { 'x-writ-user': 'admin', 'x-writ-roles': 'admin', 'x-writ-user-id': '1' },
  }), 200);
  assert.equal(spoofed.json.headers['x-writ-user'], username);
  assert.equal(spoofed.json.headers['x-writ-roles'], 'user');
  const before = seenByUpstream.length;
  const anonymous = await browser().get('/app/me', { headers: { 'x-writ-user': 'admin' } });
  expectStatus(anonymous, 401);
  assert.equal(seenByUpstream.length, before, 'an unauthenticated request reached the upstream');
});

test('an unsafe method without the CSRF header is refused at the gateway', async () => {
  const { client } = await loggedIn();
  const before = seenByUpstream.length;
  const refused = await client.post('/app/orders', { json: { item: 1 } });
  assert.equal(refused.status, 403, `${refused}`);
  // A spoofed method header does not help.
  const spoofed = await client.post('/app/orders', { json: { item: 1 }, headers: { 'x-forwarded-method': 'GET' } });
  assert.equal(spoofed.status, 403, `${spoofed}`);
  assert.equal(seenByUpstream.length, before, 'the refused request reached the upstream');
  const allowed = expectStatus(await client.post('/app/orders', { json: { item: 1 }, csrf: true }), 200);
  assert.equal(allowed.json.method, 'POST');
});

test('after logout the same cookie gets 401 at the gateway at once', async () => {
  const { client } = await loggedIn();
  expectStatus(await client.get('/app/orders'), 200);
  const jar = { ...client.jar };
  expectStatus(await client.post('/auth/logout', { csrf: true }), 204);
  const replay = await browser().get('/app/orders', { jar });
  expectStatus(replay, 401);
});

test('the forward-auth and introspection endpoints are not reachable through the gateway', async () => {
  const { client } = await loggedIn();
  assert.equal((await client.get('/auth/verify')).status, 404);
  assert.equal((await client.post('/auth/introspect', { body: 'token=x' })).status, 404);
});
