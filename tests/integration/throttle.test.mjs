// Throttling and account enumeration: the per-account lock after 10 consecutive failures
// (known and unknown names alike), the per-IP token bucket, and login answers that do not
// tell unknown users from wrong passwords — neither by content nor by timing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  assertNoTokenInAnyBody, expectStatus, newPassword, signupAndLogin, startServer, uniqueName,
} from './harness.mjs';

let accounts;     // defaults: 10 failures lock an account
let ipLimited;    // a small per-IP burst
let enumeration;  // accounts never lock, to measure many failures
before(async () => {
  [accounts, ipLimited, enumeration] = await Promise.all([
    startServer(),
    startServer({ throttle: { ip_burst: 4, ip_rate_per_second: 0.05 } }),
    startServer({ throttle: { max_account_failures: 1000 } }),
  ]);
});
after(async () => {
  await Promise.all([accounts?.dispose(), ipLimited?.dispose(), enumeration?.dispose()]);
});

function expectThrottled(response) {
  expectStatus(response, 429, 'throttled');
  const retryAfter = response.headers['retry-after'];
  assert.match(retryAfter ?? '', /^[1-9]\d*$/, `Retry-After in whole seconds: ${response} ${JSON.stringify(response.headers)}`);
  assert.deepEqual(response.setCookies, []);
  return Number(retryAfter);
}

async function failTenTimes(server, username) {
  const client = server.client();
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    const response = await client.login(username, `wrong-${attempt}-${newPassword()}`);
    expectStatus(response, 401, 'invalid_credentials');
  }
  return client;
}

test('10 consecutive failed logins lock the account: 429 with Retry-After, even for the right password', async () => {
  const { username, password } = await signupAndLogin(accounts);
  const client = await failTenTimes(accounts, username);
  expectThrottled(await client.login(username, newPassword()));
  expectThrottled(await client.login(username, password));
  // Other accounts are not affected.
  const bystander = await signupAndLogin(accounts);
  expectStatus(await bystander.client.get('/auth/session'), 200);
});

test('an unknown username locks the same way (probing reveals nothing), case-insensitively', async () => {
  const username = uniqueName('nobody');
  const client = await failTenTimes(accounts, username);
  expectThrottled(await client.login(username, newPassword()));
  expectThrottled(await client.login(username.toUpperCase(), newPassword()));
});

test('a successful login resets the consecutive-failure count', async () => {
  const { username, password } = await signupAndLogin(accounts);
  const client = accounts.client();
  for (let attempt = 0; attempt < 9; attempt += 1) {
    expectStatus(await client.login(username, newPassword()), 401, 'invalid_credentials');
  }
  expectStatus(await client.login(username, password), 200);
  for (let attempt = 0; attempt < 9; attempt += 1) {
    expectStatus(await client.login(username, newPassword()), 401, 'invalid_credentials');
  }
  expectStatus(await client.login(username, password), 200);
});

test('the per-IP bucket throttles logins across accounts; X-Forwarded-For from an untrusted peer is ignored', async () => {
  const client = ipLimited.client();
  let throttledAt = null;
  for (let attempt = 1; attempt <= 8 && throttledAt === null; attempt += 1) {
    const response = await client.login(uniqueName('spray'), newPassword());
    if (response.status === 429) {
      throttledAt = attempt;
      const retryAfter = expectThrottled(response);
      assert.ok(retryAfter >= 1, `Retry-After ${retryAfter}`);
    } else {
      expectStatus(response, 401, 'invalid_credentials');
    }
  }
  assert.equal(throttledAt, 5, 'the fifth attempt exceeds a burst of 4');
  expectThrottled(await client.login(uniqueName('spray'), newPassword(), false, {
    headers: { 'x-forwarded-for': '203.0.113.7' },
  }));
  expectThrottled(await client.signup(uniqueName('spray'), newPassword()));
});

test('unknown user and wrong password get byte-identical answers', async () => {
  const { username } = await signupAndLogin(enumeration);
  const client = enumeration.client();
  const wrong = await client.login(username, newPassword());
  const unknown = await client.login(uniqueName('ghost'), newPassword());
  expectStatus(wrong, 401, 'invalid_credentials');
  assert.equal(unknown.status, wrong.status);
  assert.equal(unknown.body, wrong.body);
  const headerNames = (response) => Object.keys(response.headers).filter((name) => name !== 'date').sort();
  assert.deepEqual(headerNames(unknown), headerNames(wrong));
  for (const name of headerNames(wrong)) {
    if (!['date', 'x-request-id'].includes(name)) {
      assert.equal(unknown.headers[name], wrong.headers[name], `header ${name}`);
    }
  }
});

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

test('unknown user and wrong password take the same time (medians within 0.67..1.5)', async (t) => {
  const { username } = await signupAndLogin(enumeration);
  const client = enumeration.client();
  const times = { unknown: [], wrong: [] };
  const attempt = async (kind) => {
    const name = kind === 'wrong' ? username : uniqueName('ghost');
    const response = await client.login(name, newPassword());
    expectStatus(response, 401, 'invalid_credentials');
    return response.took;
  };
  for (let i = 0; i < 2; i += 1) {  // warm-up
    await attempt('unknown');
    await attempt('wrong');
  }
  for (let i = 0; i < 20; i += 1) {
    const order = i % 2 === 0 ? ['unknown', 'wrong'] : ['wrong', 'unknown'];
    for (const kind of order) {
      times[kind].push(await attempt(kind));
    }
  }
  const ratio = median(times.unknown) / median(times.wrong);
  const summary = `median unknown ${median(times.unknown).toFixed(1)} ms, wrong ${median(times.wrong).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`;
  t.diagnostic(summary);
  assert.ok(ratio >= 0.67 && ratio <= 1.5, summary);
});

test('no response body carried a token', () => {
  assertNoTokenInAnyBody();
});
