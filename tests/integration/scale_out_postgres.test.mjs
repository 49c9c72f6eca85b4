// Scale-out on PostgreSQL (issue 7): two `writ serve` instances on one real PostgreSQL
// (tests/support/postgres.sh), the same keys and secrets, no Redis. Proves, through real
// HTTP: many clients refreshing concurrently through both instances are never logged out
// and never flagged; a refresh token raced through both instances at once is accepted at
// most once and the race is caught as reuse; PostgreSQL stopped mid-run makes what needs it
// answer 503 (never a grant it could not check) while issued access tokens keep working, and
// both instances recover without a restart when it returns, with nothing lost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  REFRESH_COOKIE, WritServer, expectStatus, signupAndLogin,
} from './harness.mjs';

const POSTGRES_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/postgres.sh');

// 0711: the server runs as the postgres OS user and must reach DIR below this one.
const pgParent = fs.mkdtempSync(path.join(os.tmpdir(), 'writ-integ-pg-'));
fs.chmodSync(pgParent, 0o711);
const pgDir = path.join(pgParent, 'pg');
let a;
let b;

function postgres(command) {
  const run = spawnSync(POSTGRES_SCRIPT, [command, pgDir], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `postgres.sh ${command}: ${run.stderr}${run.error ?? ''}`);
}

// Stops or starts the server in place (postgres.sh stop would also remove its directory).
function pgCtl(action) {
  const bin = spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' }).stdout.trim();
  // The server's own directory (postgres.sh: DIR/server_dir when run as root).
  const serverDirFile = path.join(pgDir, 'server_dir');
  const server = fs.existsSync(serverDirFile) ? fs.readFileSync(serverDirFile, 'utf8').trim() : pgDir;
  const args = [`${bin}/pg_ctl`, '-D', path.join(server, 'data'), '-w', '-l', path.join(server, 'ctl.log'), action];
  if (action === 'stop') {
    args.push('-m', 'fast');
  }
  const asServer = process.getuid() === 0 ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0], args.slice(1)];
  const run = spawnSync(asServer[0], asServer[1], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `pg_ctl ${action}: ${run.stderr}${run.stdout}`);
}

before(async () => {
  postgres('start');
  const conninfo = fs.readFileSync(path.join(pgDir, 'conninfo'), 'utf8').trim();
  const password = fs.readFileSync(path.join(pgDir, 'password'), 'utf8').trim();
  const shared = {
    store: `postgres:${conninfo}`, store_password: 'env:TEST_STORE_PASSWORD',
    sessions: { refresh_grace: '0s' },  // strict: any replay of a spent refresh token is reuse
  };
  a = new WritServer(shared);
  a.secrets.TEST_STORE_PASSWORD = password;
  b = new WritServer({ ...shared, tokens: { signing_keys: `file:${a.keyPath}` } });
  b.secrets = { ...a.secrets };
  await a.start();
  await b.start();
});

after(async () => {
  try {
    await Promise.all([a?.dispose(), b?.dispose()]);
  } finally {
    spawnSync(POSTGRES_SCRIPT, ['stop', pgDir], { encoding: 'utf8', timeout: 60_000 });
    fs.rmSync(pgParent, { recursive: true, force: true });
  }
});

// A client of `server` holding the cookies (and CSRF token) of `from`.
function sameBrowserOn(server, from) {
  const client = server.client();
  client.jar = { ...from.jar };
  client.csrf = from.csrf;
  return client;
}

function auditOfBoth() {
  return [...a.auditLines(), ...b.auditLines()];
}

test('20 clients refreshing concurrently, alternating instances, all stay logged in', async () => {
  const users = await Promise.all(Array.from({ length: 20 }, () => signupAndLogin(a)));
  await Promise.all(users.map(async ({ client }) => {
    for (let round = 0; round < 6; round += 1) {
      const server = round % 2 === 0 ? b : a;
      const browser = sameBrowserOn(server, client);
      expectStatus(await browser.post('/auth/refresh'), 200);
      client.jar = browser.jar;
      expectStatus(await sameBrowserOn(round % 2 === 0 ? a : b, client).get('/auth/session'), 200);
    }
  }));
  assert.equal(auditOfBoth().filter((line) => line.event === 'refresh_reuse').length, 0,
    'no reuse flagged for well-behaved clients');
});

test('attack: one refresh token raced through both instances is accepted at most once, and caught', async () => {
  for (let session = 0; session < 8; session += 1) {
    const victim = await signupAndLogin(a);
    const stolen = victim.client.jar[REFRESH_COOKIE];
    const racers = [a, b, a, b].map((server) => {
      const client = server.client();
      client.jar = { [REFRESH_COOKIE]: stolen };
      return client.post('/auth/refresh');
    });
    const answers = await Promise.all(racers);
    const accepted = answers.filter((response) => response.status === 200);
    assert.ok(accepted.length <= 1, `a refresh token was accepted ${accepted.length} times: ${answers.map(String).join('\n')}`);
    for (const refused of answers.filter((response) => response.status !== 200)) {
      expectStatus(refused, 401);
    }
    // The replay revoked the whole session: the winner's new refresh token is dead too.
    for (const winner of accepted) {
      const next = winner.setCookies.find((line) => line.startsWith(`${REFRESH_COOKIE}=`));
      const client = a.client();
      client.jar = { [REFRESH_COOKIE]: next.split(';')[0].split('=').slice(1).join('=') };
      expectStatus(await client.post('/auth/refresh'), 401);
    }
  }
  const reuse = auditOfBoth().filter((line) => line.event === 'refresh_reuse');
  assert.ok(reuse.length >= 8, `every race caught as reuse (${reuse.length} events)`);
});

test('PostgreSQL stopped: 503 and no grant; issued tokens still check; recovery without restart', async () => {
  const before = await signupAndLogin(a);
  pgCtl('stop');
  try {
    for (const server of [a, b]) {
      expectStatus(await server.client().login(before.username, before.password), 503, 'store_unavailable');
      expectStatus(await server.client().get('/readyz'), 503, 'store_unavailable');
      const refresh = await sameBrowserOn(server, before.client).post('/auth/refresh');
      expectStatus(refresh, 503, 'store_unavailable');
      assert.deepEqual(refresh.setCookies, [], 'no cookie is issued while the store is down');
      // An access token already issued needs only its signature and the revocation list.
      expectStatus(await sameBrowserOn(server, before.client).get('/auth/session'), 200);
    }
  } finally {
    pgCtl('start');
  }
  // Both instances reconnect on their own; at most one call each may still see the old link.
  for (const server of [a, b]) {
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await server.client().get('/readyz')).status;
      if (status !== 200) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    assert.equal(status, 200, `${server.baseUrl} did not recover:\n${server.logs()}`);
  }
  // Nothing was lost: the session made before the outage still refreshes, on either instance.
  expectStatus(await sameBrowserOn(b, before.client).post('/auth/refresh'), 200);
  expectStatus(await before.client.login(before.username, before.password), 200);
});
