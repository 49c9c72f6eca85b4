// Sessions: exact cookies, the access JWT, remember-me, refresh rotation (sequential,
// within the grace window, concurrent, replay after the grace), logout, logout-all, and
// forged access tokens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  ACCESS_COOKIE, AUDIENCE, ISSUER, REFRESH_COOKIE, assertNoTokenInAnyBody, decodeJwt,
  expectStatus, parseSetCookie, signEdDsa, signupAndLogin, startServer, verifyEdDsa,
} from './harness.mjs';

const REMEMBER_SECONDS = 7 * 24 * 3600;
const ACCESS_RE = /^__Host-writ-access=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+); Path=\/; Max-Age=900; Secure; HttpOnly; SameSite=Lax$/;
const REFRESH_RE = /^__Secure-writ-refresh=([A-Za-z0-9._~-]{22,}); Path=\/auth; Secure; HttpOnly; SameSite=Strict$/;
const REFRESH_REMEMBER_RE = /^__Secure-writ-refresh=([A-Za-z0-9._~-]{22,}); Path=\/auth; Secure; HttpOnly; SameSite=Strict; Max-Age=(\d+)$/;

let server;
let strict;  // refresh_grace = 0s: any replay of a spent refresh token is reuse
before(async () => {
  [server, strict] = await Promise.all([
    startServer({ sessions: { remember_ttl: '7d' } }),
    startServer({ sessions: { refresh_grace: '0s' } }),
  ]);
});
after(async () => {
  await Promise.all([server?.dispose(), strict?.dispose()]);
});

function cookieLines(response) {
  const access = response.setCookies.filter((line) => line.startsWith(`${ACCESS_COOKIE}=`));
  const refresh = response.setCookies.filter((line) => line.startsWith(`${REFRESH_COOKIE}=`));
  assert.equal(access.length, 1, `one access cookie: ${response}`);
  assert.equal(refresh.length, 1, `one refresh cookie: ${response}`);
  assert.equal(response.setCookies.length, 2, `exactly two cookies: ${response}`);
  return { access: access[0], refresh: refresh[0] };
}

async function sessionStatus(target, access) {
  const response = await target.client().get('/auth/session', { jar: { [ACCESS_COOKIE]: access } });
  return response.status;
}

async function refreshWith(target, refresh, options = {}) {
  const client = target.client(options.clientOptions);
  client.jar = { [REFRESH_COOKIE]: refresh };
  const response = await client.post('/auth/refresh', options);
  return { client, response };
}

test('login cookies have exactly the documented attributes (browser-session refresh)', async () => {
  const { login } = await signupAndLogin(server, { remember: false });
  const { access, refresh } = cookieLines(login);
  assert.match(access, ACCESS_RE);
  assert.match(refresh, REFRESH_RE);
  const refreshValue = refresh.match(REFRESH_RE)[1];
  assert.doesNotMatch(refreshValue, /^eyJ/, 'the refresh token is opaque, not a JWT');
});

test('remember-me adds Max-Age = remember_ttl to the refresh cookie only', async () => {
  const { login } = await signupAndLogin(server, { remember: true });
  const { access, refresh } = cookieLines(login);
  assert.match(access, ACCESS_RE);
  const match = refresh.match(REFRESH_REMEMBER_RE);
  assert.ok(match, `refresh cookie with Max-Age: ${refresh}`);
  assert.equal(Number(match[2]), REMEMBER_SECONDS);
});

test('the access cookie is an EdDSA at+jwt with the documented claims, signed by the configured key', async () => {
  const before_ = Math.floor(Date.now() / 1000);
  const { client, user } = await signupAndLogin(server);
  const { header, payload } = decodeJwt(client.access);
  assert.equal(header.typ, 'at+jwt');
  assert.equal(header.alg, 'EdDSA');
  assert.ok(verifyEdDsa(client.access, server.publicKey()), 'signature verifies with the signing key');
  assert.equal(payload.iss, ISSUER);
  assert.ok(payload.aud === AUDIENCE || (Array.isArray(payload.aud) && payload.aud.includes(AUDIENCE)), `aud: ${JSON.stringify(payload)}`);
  assert.equal(payload.sub, String(user.id));
  assert.ok(Number.isInteger(payload.iat) && Math.abs(payload.iat - before_) <= 60, `iat: ${payload.iat}`);
  assert.equal(payload.exp - payload.iat, 900);
  assert.ok(typeof payload.jti === 'string' && payload.jti.length >= 16, `jti: ${payload.jti}`);
  assert.ok(typeof payload.sid === 'string' && payload.sid.length >= 16, `sid: ${payload.sid}`);
  assert.deepEqual(payload.roles, user.roles);
  for (const leak of ['password', 'csrf', 'csrf_token', 'refresh', 'username']) {
    assert.equal(payload[leak], undefined, `claim ${leak} must not be in the token`);
  }
});

test('refresh rotates: new cookies each time, same session and CSRF token, no X-CSRF-Token needed', async () => {
  const { client, user, login } = await signupAndLogin(server);
  const sid = decodeJwt(client.access).payload.sid;
  let previous = { access: client.access, refresh: client.refresh };
  for (let round = 0; round < 3; round += 1) {
    const response = expectStatus(await client.post('/auth/refresh'), 200);
    assert.deepEqual(Object.keys(response.json).sort(), ['csrf_token', 'user']);
    assert.deepEqual(response.json.user, user);
    assert.equal(response.json.csrf_token, login.json.csrf_token);
    const { access, refresh } = cookieLines(response);
    assert.match(access, ACCESS_RE);
    assert.match(refresh, REFRESH_RE, 'a browser-session refresh cookie stays a session cookie');
    assert.notEqual(client.refresh, previous.refresh, 'the refresh token rotated');
    assert.notEqual(client.access, previous.access, 'a new access token');
    assert.equal(decodeJwt(client.access).payload.sid, sid);
    expectStatus(await client.get('/auth/session'), 200);
    previous = { access: client.access, refresh: client.refresh };
  }
});

test('refresh of a remember-me session keeps a persistent cookie bounded by remember_ttl', async () => {
  const { client } = await signupAndLogin(server, { remember: true });
  const response = expectStatus(await client.post('/auth/refresh'), 200);
  const { refresh } = cookieLines(response);
  const match = refresh.match(REFRESH_REMEMBER_RE);
  assert.ok(match, `persistent refresh cookie after refresh: ${refresh}`);
  const maxAge = Number(match[2]);
  assert.ok(maxAge <= REMEMBER_SECONDS && maxAge > REMEMBER_SECONDS - 120, `Max-Age ${maxAge}`);
});

test('refresh without, with a garbage or with an access token as refresh cookie is 401 invalid_token', async () => {
  const { client } = await signupAndLogin(server);
  expectStatus(await server.client().post('/auth/refresh'), 401, 'invalid_token');
  for (const junk of ['garbage', 'A'.repeat(43), client.access]) {
    const { response } = await refreshWith(server, junk);
    expectStatus(response, 401, 'invalid_token');
    assert.deepEqual(response.setCookies.filter((line) => !/Max-Age=0/.test(line)), [], `${response}`);
  }
  // None of that hurt the real session.
  expectStatus(await client.post('/auth/refresh'), 200);
});

test('refresh from a foreign origin or cross-site fetch is 403 and does not rotate', async () => {
  const { client } = await signupAndLogin(server);
  const refresh = client.refresh;
  const attacks = [
    { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
    { origin: 'https://evil.test', 'sec-fetch-site': undefined },  // a browser without Fetch Metadata
    { 'sec-fetch-site': 'cross-site', origin: undefined },
    { 'sec-fetch-site': 'same-site', origin: 'http://sub.app.test' },
    { origin: 'null', 'sec-fetch-site': undefined },
  ];
  for (const headers of attacks) {
    const response = await client.post('/auth/refresh', { headers });
    expectStatus(response, 403, 'csrf_rejected');
    assert.deepEqual(response.setCookies, [], `${response}`);
    assert.equal(client.refresh, refresh);
  }
  expectStatus(await client.post('/auth/refresh'), 200);
});

test('within the grace window the just-rotated token rotates again: both callers stay logged in', async () => {
  const { client } = await signupAndLogin(server);
  const spent = client.refresh;
  const first = await refreshWith(server, spent);
  expectStatus(first.response, 200);
  const second = await refreshWith(server, spent);
  expectStatus(second.response, 200);
  for (const caller of [first.client, second.client]) {
    expectStatus(await caller.get('/auth/session'), 200);
  }
  for (const caller of [first.client, second.client]) {
    expectStatus(await caller.post('/auth/refresh'), 200);
    expectStatus(await caller.get('/auth/session'), 200);
  }
});

test('two concurrent refreshes with the same token both succeed and both stay logged in', async () => {
  const { client } = await signupAndLogin(server);
  const callers = [server.client(), server.client()];
  for (const caller of callers) {
    caller.jar = { ...client.jar };
  }
  const responses = await Promise.all(callers.map((caller) => caller.post('/auth/refresh')));
  for (const response of responses) {
    expectStatus(response, 200);
    cookieLines(response);
  }
  for (const caller of callers) {
    expectStatus(await caller.get('/auth/session'), 200);
    expectStatus(await caller.post('/auth/refresh'), 200);
    expectStatus(await caller.get('/auth/session'), 200);
  }
});

test('replaying a spent refresh token after the grace revokes the whole session', async () => {
  const victim = await signupAndLogin(strict);
  const otherSession = strict.client();
  expectStatus(await otherSession.login(victim.username, victim.password), 200);
  const stolen = victim.client.refresh;
  const firstAccess = victim.client.access;
  const userAgentVictim = 'victim-browser/1.0';
  const userAgentThief = 'thief-tool/6.6';
  victim.client.defaultHeaders['user-agent'] = userAgentVictim;
  expectStatus(await victim.client.post('/auth/refresh'), 200);
  const { response } = await refreshWith(strict, stolen, { clientOptions: { userAgent: userAgentThief } });
  expectStatus(response, 401, 'invalid_token');
  // The legitimate holder's fresh tokens die with the session, at once.
  expectStatus(await victim.client.get('/auth/session'), 401, 'invalid_token');
  assert.equal(await sessionStatus(strict, firstAccess), 401);
  expectStatus(await victim.client.post('/auth/refresh'), 401, 'invalid_token');
  // Another session of the same user is not this session.
  expectStatus(await otherSession.get('/auth/session'), 200);
  const lines = await strict.waitForAudit((all) => all.some((line) => line.event === 'refresh_reuse'));
  const reuse = lines.filter((line) => line.event === 'refresh_reuse');
  assert.equal(reuse.length, 1, `one refresh_reuse event:\n${strict.auditText()}`);
  assert.equal(reuse[0].user_id, victim.user.id);
  assert.ok(reuse[0].raw.includes(userAgentVictim) && reuse[0].raw.includes(userAgentThief),
    `refresh_reuse names both requests' user agents: ${reuse[0].raw}`);
  assert.ok((reuse[0].raw.match(/127\.0\.0\.1/g) ?? []).length >= 2, `both requests' IPs: ${reuse[0].raw}`);
});

test('logout: 204, both cookies cleared, old access and refresh cookies dead at once', async () => {
  const { client } = await signupAndLogin(server);
  const old = { ...client.jar };
  const response = expectStatus(await client.post('/auth/logout', { csrf: true }), 204);
  assert.equal(response.body, '');
  const cleared = Object.fromEntries(response.setCookies.map((line) => {
    const cookie = parseSetCookie(line);
    return [cookie.name, cookie];
  }));
  assert.equal(response.setCookies.length, 2, `${response}`);
  const access = cleared[ACCESS_COOKIE];
  const refresh = cleared[REFRESH_COOKIE];
  assert.ok(access && refresh, `${response}`);
  assert.deepEqual([access.value, access.attrs['max-age'], access.attrs.path, access.attrs.secure, access.attrs.httponly, access.attrs.samesite],
    ['', '0', '/', true, true, 'Lax'], access.raw);
  assert.deepEqual([refresh.value, refresh.attrs['max-age'], refresh.attrs.path, refresh.attrs.secure, refresh.attrs.httponly, refresh.attrs.samesite],
    ['', '0', '/auth', true, true, 'Strict'], refresh.raw);
  assert.equal(await sessionStatus(server, old[ACCESS_COOKIE]), 401);
  const { response: refreshed } = await refreshWith(server, old[REFRESH_COOKIE]);
  expectStatus(refreshed, 401, 'invalid_token');
});

test('logout identified by the refresh cookie alone ends the session too', async () => {
  const { client } = await signupAndLogin(server);
  const access = client.access;
  const response = await client.post('/auth/logout', { csrf: true, jar: { [REFRESH_COOKIE]: client.refresh } });
  expectStatus(response, 204);
  assert.equal(await sessionStatus(server, access), 401);
  expectStatus(await client.post('/auth/refresh'), 401, 'invalid_token');
});

test('logout-all ends every session of the user at once and only theirs', async () => {
  const { client, username, password } = await signupAndLogin(server);
  const others = [server.client(), server.client()];
  for (const other of others) {
    expectStatus(await other.login(username, password, true), 200);
  }
  const bystander = await signupAndLogin(server);
  const sessions = [client, ...others].map((c) => ({ ...c.jar }));
  expectStatus(await client.post('/auth/logout-all', { csrf: true }), 204);
  for (const jar of sessions) {
    assert.equal(await sessionStatus(server, jar[ACCESS_COOKIE]), 401);
    const { response } = await refreshWith(server, jar[REFRESH_COOKIE]);
    expectStatus(response, 401, 'invalid_token');
  }
  expectStatus(await bystander.client.get('/auth/session'), 200);
  // The user can log in again afterwards.
  const again = server.client();
  expectStatus(await again.login(username, password), 200);
  expectStatus(await again.get('/auth/session'), 200);
});

test('forged access tokens are refused; the same claims re-signed with the real key pass', async () => {
  const { client } = await signupAndLogin(server);
  const real = decodeJwt(client.access);
  const key = server.privateJwk();
  const now = Math.floor(Date.now() / 1000);
  const attacker = crypto.generateKeyPairSync('ed25519');
  const attackerJwk = attacker.publicKey.export({ format: 'jwk' });
  const [h64, p64, s64] = client.access.split('.');
  const flipped = s64[0] === 'A' ? `B${s64.slice(1)}` : `A${s64.slice(1)}`;
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${p64}.`;
  const control = signEdDsa(real.header, real.payload, key);
  assert.equal(await sessionStatus(server, control), 200, 'control: a token we sign with the real key passes');
  const forgeries = {
    'flipped signature': `${h64}.${p64}.${flipped}`,
    'no signature': `${h64}.${p64}.`,
    'alg none': none,
    'another key': signEdDsa(real.header, real.payload, attacker.privateKey),
    'another key embedded as jwk': signEdDsa({ ...real.header, jwk: attackerJwk }, real.payload, attacker.privateKey),
    'typ JWT': signEdDsa({ ...real.header, typ: 'JWT' }, real.payload, key),
    'alg HS256 header': signEdDsa({ ...real.header, alg: 'HS256' }, real.payload, key),
    'wrong audience': signEdDsa(real.header, { ...real.payload, aud: 'other' }, key),
    'wrong issuer': signEdDsa(real.header, { ...real.payload, iss: 'https://evil.test' }, key),
    expired: signEdDsa(real.header, { ...real.payload, iat: now - 4000, exp: now - 3000 }, key),
    'unknown crit': signEdDsa({ ...real.header, crit: ['x-evil'], 'x-evil': 1 }, real.payload, key),
    'no exp': signEdDsa(real.header, (({ exp, ...rest }) => rest)(real.payload), key),
  };
  for (const [name, token] of Object.entries(forgeries)) {
    assert.equal(await sessionStatus(server, token), 401, `forgery "${name}" must be refused`);
  }
});

test('no response body carried a token', () => {
  assertNoTokenInAnyBody();
});
