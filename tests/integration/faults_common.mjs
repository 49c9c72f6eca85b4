// Shared by faults.test.mjs (SQLite) and faults_postgres.test.mjs (PostgreSQL): the seeded
// randomness of the fault tests, their robustness records, and the "kill -9 during a
// stream" scenario with the checks that follow the restart.
//
// The scenario's contract (docs/deployment.md, "What happens when a part fails"):
//   (a) no refresh token is ever accepted twice: after the restart every spent token (one
//       the client already got a successor for) is refused 401 and is audited as reuse or
//       as a token of a revoked session, never as a rotation; at most one token per session
//       rotates; no token a client received is unknown to the store (a lost write);
//   (b) no half-written session: the last cookies of each client either work or cleanly
//       401, and every session the server lists is one a client was told about (or one a
//       login in flight at the kill may have created);
//   (c) every logout that answered 204 before the kill is still in force afterwards.
// Needs `sessions.refresh_grace = "0s"` on the server: any replay of a spent token is reuse.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
  ACCESS_COOKIE, REFRESH_COOKIE, decodeJwt, expectStatus, httpRequest, newPassword, uniqueName,
} from './harness.mjs';

// ---------------------------------------------------------------------------------------
// Seeded randomness: WRIT_FAULTS_SEED replays a run's choices (kill times, operations).

export function faultSeed() {
  const fromEnv = process.env.WRIT_FAULTS_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    assert.ok(Number.isSafeInteger(seed) && seed >= 0, `WRIT_FAULTS_SEED must be an integer ≥ 0: ${fromEnv}`);
    return seed;
  }
  return crypto.randomInt(0, 2 ** 31);
}

// mulberry32: a small deterministic PRNG in [0, 1).
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Runs `body`; a failure's message starts with the seed that replays it.
export async function withSeed(seed, body) {
  try {
    return await body();
  } catch (error) {
    const prefix = `[replay with WRIT_FAULTS_SEED=${seed}] `;
    if (error && typeof error.message === 'string' && !error.message.startsWith(prefix)) {
      error.message = prefix + error.message;
    }
    process.stderr.write(`faults: failed with WRIT_FAULTS_SEED=${seed}\n`);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// Robustness records: with WRIT_ROBUSTNESS_OUT set (a directory), each scenario writes
// {name, what_was_tried, how_much, outcome} into the JSON array in $WRIT_ROBUSTNESS_OUT/faults.json
// (replacing an earlier record of the same name; scripts/robustness-report.mjs renders them).
// Test files may run in parallel under ctest:
// the read-modify-write happens under an O_EXCL lock file and ends with an atomic rename.

export function recordRobustness(record) {
  const outDir = process.env.WRIT_ROBUSTNESS_OUT;
  if (!outDir) {
    return;
  }
  for (const key of ['name', 'what_was_tried', 'how_much', 'outcome']) {
    assert.equal(typeof record[key], 'string', `robustness record member ${key}`);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'faults.json');
  const lock = `${file}.lock`;
  const deadline = Date.now() + 10_000;
  let fd;
  for (;;) {
    try {
      fd = fs.openSync(lock, 'wx');
      break;
    } catch (error) {
      if (error.code !== 'EEXIST' || Date.now() > deadline) {
        throw error;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    const records = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
    assert.ok(Array.isArray(records), `${file} is not a JSON array`);
    // A scenario run again replaces its earlier record: the report shows the latest run.
    const entry = {
      name: record.name, what_was_tried: record.what_was_tried, how_much: record.how_much,
      outcome: record.outcome,
    };
    const earlier = records.findIndex((existing) => existing.name === record.name);
    if (earlier >= 0) {
      records[earlier] = entry;
    } else {
      records.push(entry);
    }
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(records, null, 2)}\n`);
    fs.renameSync(temporary, file);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(lock, { force: true });
  }
}

// The robustness record of one killDuringStream run.
export function killStreamRecord(backend, totals, seed) {
  return {
    name: `kill -9 during a stream (${backend})`,
    what_was_tried: `8 clients looping login / refresh / session check / logout; SIGKILL of writ at a random moment; restart on the same ${backend} store, keys and secrets; then every refresh token ever received presented again`,
    how_much: `3 rounds, killed at ${totals.killAtMs.join(', ')} ms; ${totals.ops} operations, ${totals.sessions} sessions, ${totals.tokensReceived} refresh tokens received, ${totals.logouts} logouts; answers lost in flight: ${JSON.stringify(totals.inFlight)}; ${totals.tokensPresented} refresh presentations after restarts; seed ${seed}`,
    outcome: `no refresh token accepted twice: all ${totals.spentRefused} spent tokens refused 401, audited as refresh_reuse (${totals.reuseEvents}) or as a revoked session's token (${totals.revokedEvents}), never as a rotation and never as unknown to the store; ${totals.liveRotated} live tokens rotated once, ${totals.liveRefusedAfterInFlight} refused because their refresh or logout had been committed without an answer; ${totals.listedUnknown} sessions from logins answered by no one (allowed: the kill swallowed those answers); every 204 logout (${totals.logouts}) still refused by /auth/verify, /auth/session and /auth/refresh; audit file intact line by line`,
  };
}

// ---------------------------------------------------------------------------------------
// kill -9 during a stream.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// An error from a request the killed server never answered (or a restart refused).
function isConnectionError(error) {
  return /ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|timed out/.test(`${error?.code ?? ''} ${error?.message ?? ''}`);
}

// What a client was told about one session. `refresh` lists every refresh token it received
// in order: the last is live, the others are spent. `inFlight` is the operation on this
// session whose answer the kill swallowed ('refresh' | 'logout'), if any.
class SessionRecord {
  constructor(round, client) {
    this.round = round;
    this.sid = decodeJwt(client.access).payload.sid;
    this.refresh = [client.refresh];
    this.access = [client.access];
    this.loggedOut = false;    // a logout answered 204
    this.inFlight = null;
    this.revokedByCheck = false;  // the checks after a restart ended it
  }

  get live() {
    return this.refresh[this.refresh.length - 1];
  }
}

class Actor {
  constructor(server, index) {
    this.server = server;
    this.index = index;
    this.username = uniqueName(`fault${index}_`);
    this.password = newPassword();
    this.client = server.client({ userAgent: `faults-actor-${index}` });
    this.sessions = [];
    this.current = null;
    this.inFlightLogins = 0;   // logins the kill swallowed (all rounds): each may have left a session
    this.swallowed = null;     // the operation whose answer the last kill swallowed
    this.ops = { login: 0, refresh: 0, session: 0, logout: 0 };
  }

  async signup() {
    expectStatus(await this.client.signup(this.username, this.password), 201);
  }

  // One operation; answers other than the expected ones fail the test at once.
  async perform(op, round, rng) {
    const { client } = this;
    if (op === 'login') {
      this.inFlightLogins += 1;
      const response = await client.login(this.username, this.password, rng() < 0.3);
      this.inFlightLogins -= 1;
      expectStatus(response, 200);
      this.current = new SessionRecord(round, client);
      this.sessions.push(this.current);
    } else if (op === 'refresh') {
      const session = this.current;
      session.inFlight = 'refresh';
      const response = await client.post('/auth/refresh');
      expectStatus(response, 200);
      session.inFlight = null;
      assert.equal(decodeJwt(client.access).payload.sid, session.sid, 'a refresh keeps the session');
      session.refresh.push(client.refresh);
      session.access.push(client.access);
    } else if (op === 'session') {
      const response = expectStatus(await client.get('/auth/session'), 200);
      assert.equal(response.json.user.username, this.username);
    } else {
      const session = this.current;
      session.inFlight = 'logout';
      const response = await client.post('/auth/logout', { csrf: true });
      expectStatus(response, 204);
      session.inFlight = null;
      session.loggedOut = true;
      this.current = null;
    }
    this.ops[op] += 1;
  }

  // Every round starts with a fresh login: the last round's sessions are over.
  async startRound(round, rng) {
    this.current = null;
    this.client.jar = {};
    this.swallowed = null;
    await this.perform('login', round, rng);
  }

  // Loops random operations until the server is gone (the kill) or `deadline`.
  async stream(round, rng, killed, deadline) {
    while (!killed.flag && Date.now() < deadline) {
      let op = 'login';
      if (this.current) {
        const x = rng();
        op = x < 0.68 ? 'refresh' : x < 0.98 ? 'session' : x < 0.99 ? 'logout' : 'login';
      }
      try {
        await this.perform(op, round, rng);
      } catch (error) {
        if (killed.flag && isConnectionError(error)) {
          this.swallowed = op;  // this operation's answer died with the server
          return;
        }
        throw error;
      }
      await sleep(Math.floor(rng() * 4));
    }
  }
}

// One refresh with `token` alone: {status, requestId (to find its audit line), refresh (the
// new token when it rotated), response}.
async function presentRefresh(server, token) {
  const client = server.client();
  client.jar = { [REFRESH_COOKIE]: token };
  const response = await client.post('/auth/refresh');
  assert.ok([200, 401].includes(response.status), `refresh after the restart: ${response}\n${server.logs()}`);
  return { status: response.status, requestId: response.headers['x-request-id'], refresh: client.refresh, response };
}

async function verifyStatus(server, access) {
  const response = await httpRequest(server.port, {
    path: '/auth/verify', headers: { authorization: `Bearer ${access}` },
  });
  return response.status;
}

async function sessionStatus(server, access) {
  const response = await server.client().get('/auth/session', { jar: { [ACCESS_COOKIE]: access } });
  return response.status;
}

// The audit line of each request id (audit lines are written before the answer).
function auditByRequestId(server) {
  const index = new Map();
  for (const line of server.auditLines()) {
    index.set(line.request_id, line);
  }
  return index;
}

// Kill -9 scenario on `server` (already started, refresh_grace = 0s). Returns the numbers
// for the robustness record.
export async function killDuringStream(server, { seed, rounds = 3, clients = 8, log = () => {} }) {
  const rng = seededRandom(seed);
  const actors = Array.from({ length: clients }, (_, index) => new Actor(server, index));
  await Promise.all(actors.map((actor) => actor.signup()));
  const totals = {
    killAtMs: [], ops: 0, tokensPresented: 0, spentRefused: 0, reuseEvents: 0,
    revokedEvents: 0, liveRotated: 0, liveRefusedAfterInFlight: 0, logoutsChecked: 0,
    inFlight: { login: 0, refresh: 0, logout: 0 }, listedUnknown: 0,
  };

  for (let round = 1; round <= rounds; round += 1) {
    const killAt = 200 + Math.floor(rng() * 1300);
    totals.killAtMs.push(killAt);
    const killed = { flag: false };
    const rngs = actors.map((_, index) => seededRandom(seed + 7919 * round + index));
    // The stream starts once every client holds a session (logins cost an Argon2id hash).
    await Promise.all(actors.map((actor, index) => actor.startRound(round, rngs[index])));
    const deadline = Date.now() + 10_000;
    const streams = actors.map((actor, index) => actor.stream(round, rngs[index], killed, deadline));
    await sleep(killAt);
    killed.flag = true;
    const exit = await server.stop({ signal: 'SIGKILL' });
    assert.deepEqual(exit, { code: null, signal: 'SIGKILL' }, `the server died of the SIGKILL:\n${server.logs()}`);
    await Promise.all(streams);
    for (const actor of actors) {
      if (actor.swallowed && actor.swallowed !== 'session') {
        totals.inFlight[actor.swallowed] += 1;
      }
    }

    await server.start();
    // The audit file survived the kill line by line (auditLines() fails on a torn line).
    server.auditLines();
    await checkConsistency(server, actors, totals);
    await checkLogouts(server, actors, totals);
    await checkRefreshTokens(server, actors, round, totals);
    log(`round ${round}: kill at ${killAt} ms, ${actors.reduce((n, a) => n + a.sessions.filter((s) => s.round === round).length, 0)} sessions`);
  }

  // Finally every refresh token any client ever received, of every round: all refused.
  const all = actors.flatMap((actor) => actor.sessions.flatMap((session) => session.refresh));
  assert.equal(new Set(all).size, all.length, 'no refresh token was issued twice');
  const answers = [];
  for (let i = 0; i < all.length; i += 16) {
    answers.push(...await Promise.all(all.slice(i, i + 16).map((token) => presentRefresh(server, token))));
  }
  const accepted = answers.filter((answer) => answer.status === 200);
  assert.equal(accepted.length, 0, `a refresh token was accepted again at the end:\n${accepted.map((a) => String(a.response)).join('\n')}`);
  totals.tokensPresented += all.length;
  totals.ops = actors.reduce((n, actor) => n + Object.values(actor.ops).reduce((a, b) => a + b, 0), 0);
  totals.tokensReceived = all.length;
  totals.sessions = actors.reduce((n, actor) => n + actor.sessions.length, 0);
  totals.logouts = actors.reduce((n, actor) => n + actor.sessions.filter((s) => s.loggedOut).length, 0);
  return totals;
}

// (b) The last cookies of each client work or cleanly 401, as what the client was told
// predicts; the sessions the server lists for the user are all accounted for.
async function checkConsistency(server, actors, totals) {
  totals.listedUnknown = 0;
  await Promise.all(actors.map(async (actor) => {
    const access = actor.client.access;
    if (access) {
      const session = actor.sessions.find((s) => s.sid === decodeJwt(access).payload.sid);
      assert.ok(session, 'the jar holds a session the actor knows');
      const response = await actor.client.get('/auth/session');
      assert.ok([200, 401].includes(response.status), `session check after the restart: ${response}`);
      if (session.loggedOut || session.revokedByCheck) {
        expectStatus(response, 401, 'invalid_token');
      } else if (session.inFlight !== 'logout') {
        expectStatus(response, 200);
        assert.equal(response.json.user.username, actor.username);
      }
    } else {
      expectStatus(await actor.client.get('/auth/session'), 401, 'invalid_token');
    }
    // A fresh login (a probe) lists the user's active sessions.
    const probe = server.client({ userAgent: `faults-probe-${actor.index}` });
    expectStatus(await probe.login(actor.username, actor.password), 200);
    const probeSid = decodeJwt(probe.access).payload.sid;
    const listed = expectStatus(await probe.get('/auth/sessions'), 200).json.sessions;
    const known = new Map(actor.sessions.map((s) => [s.sid, s]));
    let unknown = 0;
    for (const entry of listed) {
      if (entry.id === probeSid) {
        continue;
      }
      const session = known.get(entry.id);
      if (!session) {
        unknown += 1;
        continue;
      }
      assert.ok(!session.loggedOut, `a session logged out before the kill is listed as active: ${JSON.stringify(entry)}`);
      assert.ok(!session.revokedByCheck, `a session revoked for reuse is listed as active: ${JSON.stringify(entry)}`);
    }
    const listedIds = new Set(listed.map((entry) => entry.id));
    for (const session of actor.sessions) {
      if (!session.loggedOut && !session.revokedByCheck && session.inFlight !== 'logout') {
        assert.ok(listedIds.has(session.sid), `session ${session.sid} (round ${session.round}) was lost: ${JSON.stringify(listed)}`);
      }
    }
    // Only a login the kill swallowed may have left a session nobody was told about.
    assert.ok(unknown <= actor.inFlightLogins, `${unknown} listed sessions no client was told about (${actor.inFlightLogins} logins in flight)`);
    totals.listedUnknown += unknown;
    expectStatus(await probe.post('/auth/logout', { csrf: true }), 204);
  }));
}

// (c) Every logout that answered 204 — in any round so far — is still in force.
async function checkLogouts(server, actors, totals) {
  const loggedOut = actors.flatMap((actor) => actor.sessions.filter((s) => s.loggedOut));
  await Promise.all(loggedOut.map(async (session) => {
    for (const access of session.access) {
      assert.equal(await verifyStatus(server, access), 401, `/auth/verify accepted an access token of a logged-out session ${session.sid}`);
      assert.equal(await sessionStatus(server, access), 401, `/auth/session accepted an access token of a logged-out session ${session.sid}`);
    }
    const { status } = await presentRefresh(server, session.live);
    assert.equal(status, 401, `the refresh token of logged-out session ${session.sid} was accepted`);
  }));
  totals.logoutsChecked += loggedOut.length;
}

// (a) Per session of this round: the live token rotates once (or, when a refresh or a
// logout was in flight at the kill, may be refused); then every spent token is refused and
// audited as reuse or as a revoked session's token; nothing is unknown to the store.
async function checkRefreshTokens(server, actors, round, totals) {
  const sessions = actors.flatMap((actor) => actor.sessions.filter((s) => s.round === round));
  const presented = [];  // {session, kind: 'live'|'spent'|'rotated', status, requestId}
  await Promise.all(sessions.map(async (session) => {
    let accepted = 0;
    const liveAnswer = await presentRefresh(server, session.live);
    presented.push({ session, kind: 'live', ...liveAnswer });
    if (liveAnswer.status === 200) {
      accepted += 1;
      assert.ok(!session.loggedOut, `the live refresh token of logged-out session ${session.sid} rotated`);
      session.refresh.push(liveAnswer.refresh);
      totals.liveRotated += 1;
    } else {
      assert.ok(session.loggedOut || session.inFlight !== null,
        `the live refresh token of session ${session.sid} was refused with nothing in flight: ${liveAnswer.response}\n${server.logs()}`);
      totals.liveRefusedAfterInFlight += session.loggedOut ? 0 : 1;
    }
    // Every token but the newest is spent now; then the newest dies with the session.
    const spent = session.refresh.slice(0, -1);
    for (const token of spent) {
      const answer = await presentRefresh(server, token);
      presented.push({ session, kind: 'spent', ...answer });
      assert.equal(answer.status, 401, `a spent refresh token of session ${session.sid} was accepted: ${answer.response}`);
      totals.spentRefused += 1;
    }
    // Whatever happened above, the session is over now: its newest token is refused too.
    const last = await presentRefresh(server, session.live);
    presented.push({ session, kind: 'after_reuse', ...last });
    assert.equal(last.status, 401, `after the checks, session ${session.sid} still rotates: ${last.response}`);
    session.revokedByCheck = true;
    assert.ok(accepted <= 1, `session ${session.sid} rotated ${accepted} times after the restart`);
    totals.tokensPresented += 2 + spent.length;
  }));

  const audit = auditByRequestId(server);
  const reuseOf = new Map();
  for (const answer of presented) {
    const line = audit.get(answer.requestId);
    assert.ok(line, `no audit line for request ${answer.requestId} (${answer.kind} token of ${answer.session.sid})`);
    if (answer.status === 200) {
      assert.deepEqual([line.event, line.outcome], ['refresh', 'success'], line.raw);
      continue;
    }
    // A token a client received is never unknown: the kill lost no committed write.
    assert.notEqual(line.reason, 'unknown_refresh_token', `a received refresh token is unknown after the restart: ${line.raw}`);
    const reuse = line.event === 'refresh_reuse';
    const revoked = line.event === 'token_rejected' && line.reason === 'session_revoked';
    assert.ok(reuse || revoked, `a refused token is audited as reuse or revoked, not ${line.raw}`);
    if (reuse) {
      totals.reuseEvents += 1;
      reuseOf.set(answer.session, (reuseOf.get(answer.session) ?? 0) + 1);
    } else {
      totals.revokedEvents += 1;
    }
  }
  // A live session whose spent token came back was caught as reuse exactly once (then it
  // is revoked and the rest are a revoked session's tokens).
  for (const session of sessions) {
    const spentShown = presented.some((p) => p.session === session && p.kind === 'spent');
    if (!session.loggedOut && spentShown) {
      const expected = session.inFlight === 'logout' ? [0, 1] : [1];
      assert.ok(expected.includes(reuseOf.get(session) ?? 0),
        `session ${session.sid}: ${reuseOf.get(session) ?? 0} refresh_reuse events`);
    }
  }
}
