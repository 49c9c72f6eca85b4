// Fault injection on PostgreSQL (issue 9): the "kill -9 during a stream" scenario of
// faults.test.mjs with the store on a real PostgreSQL (tests/support/postgres.sh, started
// and stopped here like scale_out_postgres.test.mjs). writ is killed at random moments
// while 8 clients log in, refresh, check and log out; restarted on the same database, keys
// and secrets, no refresh token is accepted twice, no session is half written and every
// completed logout holds (faults_common.mjs states the checks).
// PostgreSQL itself stopped under load is scale_out_postgres.test.mjs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { WritServer } from './harness.mjs';
import {
  faultSeed, killDuringStream, killStreamRecord, recordRobustness, withSeed,
} from './faults_common.mjs';

const POSTGRES_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/postgres.sh');
const SEED = faultSeed();

// 0711: the server runs as the postgres OS user and must reach DIR below this one.
const pgParent = fs.mkdtempSync(path.join(os.tmpdir(), 'writ-integ-pg-'));
fs.chmodSync(pgParent, 0o711);
const pgDir = path.join(pgParent, 'pg');
let server;

before(async () => {
  const run = spawnSync(POSTGRES_SCRIPT, ['start', pgDir], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `postgres.sh start: ${run.stderr}${run.error ?? ''}`);
  const conninfo = fs.readFileSync(path.join(pgDir, 'conninfo'), 'utf8').trim();
  const password = fs.readFileSync(path.join(pgDir, 'password'), 'utf8').trim();
  server = new WritServer({
    store: `postgres:${conninfo}`, store_password: 'env:TEST_STORE_PASSWORD',
    sessions: { refresh_grace: '0s' },  // strict: any replay of a spent refresh token is reuse
  });
  server.secrets.TEST_STORE_PASSWORD = password;
  await server.start();
});

after(async () => {
  try {
    await server?.dispose();
  } finally {
    spawnSync(POSTGRES_SCRIPT, ['stop', pgDir], { encoding: 'utf8', timeout: 60_000 });
    fs.rmSync(pgParent, { recursive: true, force: true });
  }
});

test('kill -9 during a stream on PostgreSQL (3 rounds): no refresh token accepted twice, no half-written session, logouts hold', async (t) => {
  t.diagnostic(`WRIT_FAULTS_SEED=${SEED}`);
  await withSeed(SEED, async () => {
    const totals = await killDuringStream(server, { seed: SEED, log: (line) => t.diagnostic(line) });
    t.diagnostic(JSON.stringify(totals));
    recordRobustness(killStreamRecord('PostgreSQL', totals, SEED));
  });
});
