// Fault injection on SQLite (issue 9): what writ does when a part fails under it, proved
// through real HTTP against the real binary.
//   - kill -9 in the middle of a stream of logins, refreshes and logouts (3 rounds at random
//     moments), restart on the same store and keys: no refresh token accepted twice, no
//     half-written session, every completed logout still in force (faults_common.mjs);
//   - the audit sink full (file:/dev/full, every write ENOSPC): writ fails closed — logins,
//     signups and refreshes 503 audit_unavailable with no token (a refused refresh ends its
//     session, with no theft alarm) — while /healthz answers;
//   - the signing key source unreadable or broken at SIGHUP: the current keys stay in force;
//   - the SQLite file's disk full (a small tmpfs, root only): 503 store_unavailable and no
//     grant, issued access tokens still check, recovery without a restart;
//   - the clock jumped forward past access_ttl and back by an hour (libfaketime).
// Redis unavailable is scale_out.test.mjs; PostgreSQL stopped is scale_out_postgres.test.mjs.
//
// Randomness comes from WRIT_FAULTS_SEED (printed with every failure); WRIT_ROBUSTNESS_OUT
// collects one record per scenario (faults_common.mjs, recordRobustness).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  ACCESS_COOKIE, REFRESH_COOKIE, WritServer, decodeJwt, expectStatus, httpRequest, newPassword,
  signupAndLogin, startServer, toToml, uniqueName, verifyEdDsa,
} from './harness.mjs';
import {
  faultSeed, killDuringStream, killStreamRecord, recordRobustness, withSeed,
} from './faults_common.mjs';

const SEED = faultSeed();
const servers = [];
const cleanups = [];
after(async () => {
  try {
    await Promise.all(servers.map((server) => server.dispose()));
  } finally {
    for (const cleanup of cleanups.reverse()) {
      cleanup();
    }
  }
});

async function started(overrides) {
  const server = await startServer(overrides);
  servers.push(server);
  return server;
}

// Rewrites the configuration file; takes effect at the next start.
function reconfigure(server, change) {
  change(server.config);
  fs.writeFileSync(server.configPath, toToml(server.config), { mode: 0o600 });
}

async function restart(server, change) {
  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, `exit on SIGTERM:\n${server.logs()}`);
  if (change) {
    reconfigure(server, change);
  }
  await server.start();
}

function verifyBearer(server, token) {
  return httpRequest(server.port, { path: '/auth/verify', headers: { authorization: `Bearer ${token}` } });
}

function withRefresh(server, token) {
  const client = server.client();
  client.jar = { [REFRESH_COOKIE]: token };
  return client;
}

// Nothing but cookies that clear (empty value, Max-Age=0): no token is handed out.
function assertOnlyClearingCookies(response) {
  assert.ok(response.setCookies.every((cookie) => /^[^=]+=;/.test(cookie) && /;\s*Max-Age=0(;|$)/i.test(cookie)),
    `only clearing cookies: ${JSON.stringify(response.setCookies)}`);
}

async function activeSessionIds(server, username, password) {
  const probe = server.client();
  expectStatus(await probe.login(username, password), 200);
  const listed = expectStatus(await probe.get('/auth/sessions'), 200).json.sessions;
  return { probe, probeSid: decodeJwt(probe.access).payload.sid, ids: new Set(listed.map((s) => s.id)) };
}

// ---------------------------------------------------------------------------------------

test('kill -9 during a stream (3 rounds): no refresh token accepted twice, no half-written session, logouts hold', async (t) => {
  t.diagnostic(`WRIT_FAULTS_SEED=${SEED}`);
  await withSeed(SEED, async () => {
    const server = await started({ sessions: { refresh_grace: '0s' } });
    const totals = await killDuringStream(server, { seed: SEED, log: (line) => t.diagnostic(line) });
    t.diagnostic(JSON.stringify(totals));
    recordRobustness(killStreamRecord('SQLite', totals, SEED));
  });
});

test('audit sink full (file:/dev/full): logins and signups 503 audit_unavailable, no cookie, no session; /healthz answers', async (t) => {
  const server = await started();
  const user = await signupAndLogin(server);
  const other = await signupAndLogin(server);
  const third = await signupAndLogin(server);
  const sessionBefore = decodeJwt(user.client.access).payload.sid;

  // Every write to /dev/full fails with ENOSPC. writ opens the sink at start and does not
  // probe it, so it starts.
  await restart(server, (config) => { config.audit.sink = 'file:/dev/full'; });
  const refusedLogins = 3;
  for (let i = 0; i < refusedLogins; i += 1) {
    const login = await server.client().login(user.username, user.password);
    expectStatus(login, 503, 'audit_unavailable');
    assert.deepEqual(login.setCookies, [], `no cookie when the login cannot be audited: ${login}`);
  }
  const newName = uniqueName('full');
  const newPw = newPassword();
  const signup = await server.client().signup(newName, newPw);
  expectStatus(signup, 503, 'audit_unavailable');
  assert.deepEqual(signup.setCookies, []);
  // A refusal needs no audit line to be safe: the wrong password still gets its 401.
  expectStatus(await server.client().login(user.username, 'not-the-password-0'), 401, 'invalid_credentials');
  // A refresh is a grant too: refused, and its session ended (see the test below).
  const refresh = await withRefresh(server, third.client.refresh).post('/auth/refresh');
  expectStatus(refresh, 503, 'audit_unavailable');
  assertOnlyClearingCookies(refresh);
  expectStatus(await verifyBearer(server, third.client.access), 401);
  // Checks of issued tokens write no audit line when they succeed; a logout is never held back.
  expectStatus(await user.client.get('/auth/session'), 200);
  expectStatus(await verifyBearer(server, user.client.access), 200);
  const otherAccess = other.client.access;
  expectStatus(await other.client.post('/auth/logout', { csrf: true }), 204);
  expectStatus(await verifyBearer(server, otherAccess), 401);
  expectStatus(await server.client().get('/healthz'), 200);
  const ready = await server.client().get('/readyz');

  // Sink back: none of the refused logins left a session; the logout held.
  await restart(server, (config) => { config.audit.sink = `file:${server.auditPath}`; });
  const { probe, probeSid, ids } = await activeSessionIds(server, user.username, user.password);
  assert.deepEqual([...ids].sort(), [probeSid, sessionBefore].sort(),
    `only the session from before and the probe are active (the ${refusedLogins} refused logins granted none)`);
  expectStatus(await verifyBearer(server, otherAccess), 401);
  expectStatus(await probe.post('/auth/logout', { csrf: true }), 204);
  // The refused signup left no account: the name can be signed up again.
  expectStatus(await server.client().login(newName, newPw), 401, 'invalid_credentials');
  expectStatus(await server.client().signup(newName, newPw), 201);
  t.diagnostic(`/readyz with the audit sink full: ${ready.status}`);
  recordRobustness({
    name: 'audit sink full (SQLite)',
    what_was_tried: 'audit.sink = "file:/dev/full" (every write fails with ENOSPC): start, logins, signup, refresh, wrong password, session check, /auth/verify, logout, health',
    how_much: `${refusedLogins} logins, 1 signup, 1 refresh, 1 failed login, 1 logout, then a restart with the sink back`,
    outcome: `writ starts (the sink is not probed); login, signup and refresh answer 503 audit_unavailable and hand out no token (a refused refresh clears the cookies and ends its session, with no theft alarm), and the refused logins' sessions are revoked (none active afterwards); a wrong password still gets 401; session checks and /auth/verify of issued tokens work; logout answers 204 and holds; /healthz 200, /readyz ${ready.status}; the refused signup left no account (the name could be signed up again)`,
  });
});

test('a refresh refused for the audit sink ends the session, with no theft alarm and no usable token', async () => {
  // grace 0: the retry below is past the grace window, where a spent token reads as reuse
  // unless the refused refresh ended the session.
  const server = await started({ sessions: { refresh_grace: '0s' } });
  const user = await signupAndLogin(server);
  const token = user.client.refresh;
  const access = user.client.access;
  const sid = decodeJwt(access).payload.sid;
  await restart(server, (config) => { config.audit.sink = 'file:/dev/full'; });
  const refused = await withRefresh(server, token).post('/auth/refresh');
  expectStatus(refused, 503, 'audit_unavailable');
  assertOnlyClearingCookies(refused);
  // The session's access token stops working at once.
  expectStatus(await verifyBearer(server, access), 401);
  await restart(server, (config) => { config.audit.sink = `file:${server.auditPath}`; });
  const retry = await withRefresh(server, token).post('/auth/refresh');
  expectStatus(retry, 401, 'invalid_token');
  assert.ok(!server.auditLines().some((line) => line.event === 'refresh_reuse'), 'no theft alarm for a refresh that was refused');
  const rejected = server.auditLines().find((line) => line.request_id === retry.headers['x-request-id']);
  assert.equal(rejected?.reason, 'session_revoked', `the retry is audited as a revoked session: ${JSON.stringify(rejected)}`);
  assert.ok(!(await activeSessionIds(server, user.username, user.password)).ids.has(sid), 'the session is no longer active');
});

// ---------------------------------------------------------------------------------------

// SIGHUP, then wait for this reload's outcome line on stderr.
async function reload(server) {
  const outcome = /writ: (reloaded|reload failed)[^\n]*/g;
  const before = (server.output.match(outcome) ?? []).length;
  server.child.kill('SIGHUP');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = server.output.match(outcome) ?? [];
    if (lines.length > before) {
      return lines[lines.length - 1];
    }
    assert.ok(Date.now() < deadline, `no reload line after SIGHUP:\n${server.logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('signing key source unreadable or broken at SIGHUP: the current keys stay in force', async (t) => {
  const server = await started();
  const user = await signupAndLogin(server);
  const original = fs.readFileSync(server.keyPath);
  const publicKey = server.publicKey();
  const kid = decodeJwt(user.client.access).header.kid;
  const { d: _d, ...publicJwk } = server.privateJwk();
  const breakages = [
    ['garbage', () => fs.writeFileSync(server.keyPath, 'not a JWK {', { mode: 0o600 })],
    ['half written (truncated JSON)', () => fs.writeFileSync(server.keyPath, original.subarray(0, Math.floor(original.length / 2)), { mode: 0o600 })],
    ['empty', () => fs.writeFileSync(server.keyPath, '', { mode: 0o600 })],
    ['deleted', () => fs.rmSync(server.keyPath)],
    ['a directory', () => { fs.rmSync(server.keyPath); fs.mkdirSync(server.keyPath); }],
    ['the public half only', () => fs.writeFileSync(server.keyPath, JSON.stringify(publicJwk), { mode: 0o600 })],
  ];
  // Root reads a 0000 file anyway: the permission case only means something for others.
  if (process.getuid?.() !== 0) {
    breakages.push(['mode 0000', () => { fs.writeFileSync(server.keyPath, original, { mode: 0o600 }); fs.chmodSync(server.keyPath, 0o000); }]);
  }
  const messages = [];
  for (const [name, breakIt] of breakages) {
    fs.rmSync(server.keyPath, { recursive: true, force: true });
    fs.writeFileSync(server.keyPath, original, { mode: 0o600 });
    breakIt();
    const line = await reload(server);
    assert.match(line, /^writ: reload failed, the current keys stay in force: /, `${name}: ${server.logs()}`);
    messages.push(`${name}: ${line.replace(/^writ: reload failed, the current keys stay in force: /, '').replaceAll(server.dir, 'DIR')}`);
    // The token issued before still verifies, the session still refreshes, a new login is
    // signed with the same key.
    expectStatus(await verifyBearer(server, user.client.access), 200);
    expectStatus(await user.client.post('/auth/refresh'), 200);
    const login = await server.client().login(user.username, user.password);
    expectStatus(login, 200);
    const access = login.setCookies.map((line) => line.split(';')[0]).find((pair) => pair.startsWith(`${ACCESS_COOKIE}=`)).slice(ACCESS_COOKIE.length + 1);
    assert.equal(decodeJwt(access).header.kid, kid, `${name}: signed with the old key`);
    assert.ok(verifyEdDsa(access, publicKey), `${name}: verifies with the old public key`);
  }
  fs.rmSync(server.keyPath, { recursive: true, force: true });
  fs.writeFileSync(server.keyPath, original, { mode: 0o600 });
  assert.match(await reload(server), /^writ: reloaded tokens\.signing_keys/);
  expectStatus(await verifyBearer(server, user.client.access), 200);
  t.diagnostic(messages.join('\n'));
  recordRobustness({
    name: 'signing key source broken at reload',
    what_was_tried: 'tokens.signing_keys = file:…, then the file broken and SIGHUP sent',
    how_much: `${breakages.length} breakages: ${breakages.map(([name]) => name).join(', ')}${process.getuid?.() === 0 ? ' (mode 0000 not tried: running as root, which reads it anyway)' : ''}`,
    outcome: `every reload failed with a line on stderr and the current keys stayed in force: issued tokens verified, refresh and new logins worked and were signed by the old key; the restored file reloaded. Messages: ${messages.join('; ')}`,
  });
});

// ---------------------------------------------------------------------------------------

// A small tmpfs for the SQLite file (root with mount rights only).
function smallTmpfs() {
  if (process.getuid?.() !== 0 || process.platform !== 'linux') {
    return { skip: 'needs root to mount a small tmpfs' };
  }
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'writ-integ-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mountPoint], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    fs.rmSync(mountPoint, { recursive: true, force: true });
    return { skip: `cannot mount a tmpfs here: ${mounted.stderr.trim()}` };
  }
  cleanups.push(() => {
    spawnSync('umount', [mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });
  return { mountPoint };
}

// Writes until ENOSPC; returns the bytes written.
function fillDisk(file) {
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) {
      written += fs.writeSync(fd, block);
    }
  } catch (error) {
    assert.equal(error.code, 'ENOSPC');
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

test('SQLite disk full: 503 store_unavailable and no grant; issued tokens still check; recovery without a restart', async (t) => {
  const { mountPoint, skip } = smallTmpfs();
  if (skip) {
    t.skip(skip);
    return;
  }
  const server = new WritServer({ store: `sqlite:${path.join(mountPoint, 'writ.db')}` });
  servers.push(server);
  await server.start();
  const user = await signupAndLogin(server);
  const other = await signupAndLogin(server);
  const refreshBefore = user.client.refresh;
  const filler = path.join(mountPoint, 'filler');
  const filled = fillDisk(filler);

  const login = await server.client().login(user.username, user.password);
  expectStatus(login, 503, 'store_unavailable');
  assert.deepEqual(login.setCookies, []);
  const signup = await server.client().signup(uniqueName('full'), newPassword());
  expectStatus(signup, 503, 'store_unavailable');
  assert.deepEqual(signup.setCookies, []);
  const refresh = await user.client.post('/auth/refresh');
  expectStatus(refresh, 503, 'store_unavailable');
  assert.deepEqual(refresh.setCookies, []);
  assert.equal(user.client.refresh, refreshBefore);
  // Checking an issued token needs no write.
  expectStatus(await user.client.get('/auth/session'), 200);
  expectStatus(await verifyBearer(server, user.client.access), 200);
  // A logout that cannot be stored is not claimed.
  const logout = await other.client.post('/auth/logout', { csrf: true });
  expectStatus(logout, 503, 'store_unavailable');
  expectStatus(await server.client().get('/healthz'), 200);
  const ready = await server.client().get('/readyz');
  const metrics = await server.client().get('/metrics');
  const storeUp = metrics.status === 200 ? (metrics.body.match(/^writ_store_up (\d)$/m)?.[1] ?? 'absent') : `/metrics ${metrics.status}`;

  fs.rmSync(filler);
  // Recovery on the next request: the refused rotation left the old token current.
  expectStatus(await user.client.post('/auth/refresh'), 200);
  expectStatus(await server.client().login(user.username, user.password), 200);
  expectStatus(await other.client.post('/auth/logout', { csrf: true }), 204);
  expectStatus(await other.client.get('/auth/session'), 401);
  const logged = /ENOSPC|full|disk|storage/i.test(server.output);
  t.diagnostic(`/readyz with the SQLite disk full: ${ready.status}; writ_store_up: ${storeUp}; stderr mentions the failure: ${logged}`);
  recordRobustness({
    name: 'SQLite disk full',
    what_was_tried: 'the SQLite file on a 4 MiB tmpfs, filled to ENOSPC by another file while writ runs',
    how_much: `${filled} bytes of filler; login, signup, refresh, session check, /auth/verify, logout, health; then the filler removed`,
    outcome: `login, signup, refresh and logout answer 503 store_unavailable with no Set-Cookie; session checks and /auth/verify of issued tokens work; /healthz 200, /readyz ${ready.status}, writ_store_up ${storeUp} (both probe with a read); the server's stderr ${logged ? 'names' : 'does not mention'} the failure; with space back the next requests work without a restart and the refused refresh left the old token current (no reuse)`,
  });
});

// ---------------------------------------------------------------------------------------
// Clock jumps through libfaketime (Debian `faketime`, scripts/setup.sh): the server's clock
// is offset at start by LD_PRELOAD; the harness passes `secrets` as the child's environment.

function libfaketime() {
  for (const base of ['/usr/lib', '/usr/lib64']) {
    if (!fs.existsSync(base)) {
      continue;
    }
    for (const entry of ['', ...fs.readdirSync(base)]) {
      const candidate = path.join(base, entry, 'faketime', 'libfaketimeMT.so.1');
      if (fs.existsSync(candidate)) {
        return candidate;
      }
    }
  }
  return null;
}

const FAKETIME_ENV = ['LD_PRELOAD', 'FAKETIME', 'FAKETIME_DONT_FAKE_MONOTONIC', 'ASAN_OPTIONS'];

async function startWithClock(server, offset, library) {
  for (const name of FAKETIME_ENV) {
    delete server.secrets[name];
  }
  if (offset) {
    Object.assign(server.secrets, {
      LD_PRELOAD: library, FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: '1',
      // A sanitizer build wants its runtime first in the library list; libfaketime only
      // wraps clock calls.
      ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ? `${process.env.ASAN_OPTIONS}:` : ''}verify_asan_link_order=0`,
    });
  }
  await server.start();
}

// GET /auth/session with `token`: the status and the reason its audit line gives.
async function sessionCheck(server, token) {
  const response = await server.client().get('/auth/session', { jar: { [ACCESS_COOKIE]: token } });
  const line = server.auditLines().find((entry) => entry.request_id === response.headers['x-request-id']);
  return { status: response.status, reason: line ? `${line.event}/${line.reason}` : null };
}

test('clock jumps: forward past access_ttl expires access tokens, refresh still rotates; back an hour refuses tokens "from the future"', async (t) => {
  const library = libfaketime();
  if (!library) {
    t.skip('libfaketime is not installed (scripts/setup.sh installs the Debian package faketime)');
    return;
  }
  const server = await started();
  const user = await signupAndLogin(server);
  const issuedNow = user.client.access;

  // +20 min: past access_ttl (15 min), well within the session (12 h) and idle (7 d) bounds.
  await server.stop();
  await startWithClock(server, '+20m', library);
  expectStatus(await verifyBearer(server, issuedNow), 401);
  assert.deepEqual(await sessionCheck(server, issuedNow), { status: 401, reason: 'token_rejected/expired' });
  expectStatus(await user.client.post('/auth/refresh'), 200);
  const issuedAhead = user.client.access;
  const aheadBy = decodeJwt(issuedAhead).payload.iat - decodeJwt(issuedNow).payload.iat;
  assert.ok(aheadBy >= 1200 && aheadBy < 1300, `iat of the token issued at +20 min: +${aheadBy} s`);
  expectStatus(await verifyBearer(server, issuedAhead), 200);

  // -1 h: both tokens now carry an iat in the future. Own tokens are checked with no skew
  // (access_tokens.cc: ClockSkew(0)), so they are refused: issued_in_future.
  await server.stop();
  await startWithClock(server, '-1h', library);
  for (const token of [issuedNow, issuedAhead]) {
    expectStatus(await verifyBearer(server, token), 401);
    assert.deepEqual(await sessionCheck(server, token), { status: 401, reason: 'token_rejected/issued_in_future' });
  }
  // The refresh token is opaque and its session's bounds are far: it rotates, and the new
  // token is good on this clock.
  expectStatus(await user.client.post('/auth/refresh'), 200);
  const issuedBehind = user.client.access;
  expectStatus(await user.client.get('/auth/session'), 200);

  // Real time again: the token issued an hour "ago" has expired; the session goes on.
  await server.stop();
  await startWithClock(server, null, library);
  expectStatus(await verifyBearer(server, issuedBehind), 401);
  assert.deepEqual(await sessionCheck(server, issuedBehind), { status: 401, reason: 'token_rejected/expired' });
  expectStatus(await user.client.post('/auth/refresh'), 200);
  expectStatus(await user.client.get('/auth/session'), 200);
  recordRobustness({
    name: 'clock jumps',
    what_was_tried: 'the server restarted with its clock offset by libfaketime: +20 min (past access_ttl = 15 min), then -1 h, then real time',
    how_much: '3 restarts; access tokens checked by /auth/session and /auth/verify, refresh at each step',
    outcome: 'forward: the access token is refused as expired, the refresh rotates (session within its 12 h / 7 d bounds). Back an hour: tokens whose iat is ahead of the clock are refused (issued_in_future; own tokens are checked with zero leeway), the refresh rotates and its new token works. Back to real time: the token issued on the slow clock is expired, the session refreshes.',
  });
});

test('a clock stepped back does not reopen the refresh grace window for a spent token', {
}, async (t) => {
  const library = libfaketime();
  if (!library) {
    t.skip('libfaketime is not installed');
    return;
  }
  const server = await started({ sessions: { refresh_grace: '1s' } });
  const user = await signupAndLogin(server);
  const spent = user.client.refresh;
  expectStatus(await user.client.post('/auth/refresh'), 200);
  const rotatedAt = Date.now();
  await server.stop();
  // More than the grace passes in real time, and the clock is stepped back an hour.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1500 - (Date.now() - rotatedAt))));
  await startWithClock(server, '-1h', library);
  const replay = await withRefresh(server, spent).post('/auth/refresh');
  expectStatus(replay, 401, 'invalid_token');
});
