// Bad input and limits: content types, malformed JSON, oversized bodies and heads, slow
// clients, unparsable requests, unknown paths and methods — each answered with the right
// status while a parallel client keeps getting 200 from /healthz.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  assertNoTokenInAnyBody, expectStatus, healthPoller, newPassword, rawExchange, startServer,
  uniqueName,
} from './harness.mjs';

let server;
let poller;
before(async () => {
  server = await startServer({ http: { header_timeout: '1s', body_timeout: '1s' } });
  poller = healthPoller(server);
});
after(async () => {
  await poller?.stop();
  await server?.dispose();
});

const LOGIN = JSON.stringify({ username: 'nobody-here', password: 'whatever-123', remember: false });

function head(lines) {
  return `${lines.join('\r\n')}\r\n\r\n`;
}

test('JSON endpoints answer 415 to other content types (a form post cannot log in)', async () => {
  const client = server.client();
  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', undefined]) {
    const headers = { 'content-type': contentType };
    for (const target of ['/auth/login', '/auth/signup']) {
      const response = await client.post(target, { body: LOGIN, headers });
      expectStatus(response, 415);
    }
  }
  // A charset parameter is still JSON.
  const response = await client.post('/auth/login', { body: LOGIN, headers: { 'content-type': 'application/json; charset=utf-8' } });
  expectStatus(response, 401, 'invalid_credentials');
});

test('malformed JSON is 400 malformed_json', async () => {
  const client = server.client();
  const bodies = {
    truncated: '{"username":"a","password":',
    'trailing comma': '{"username":"a","password":"abcdefgh1",}',
    'duplicate member': '{"username":"a","username":"admin","password":"abcdefgh1"}',
    'not an object': '["a","b"]',
    'null': 'null',
    empty: '',
    'invalid UTF-8': Buffer.concat([Buffer.from('{"username":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","password":"abcdefgh1"}')]),
    'trailing garbage': '{"username":"a","password":"abcdefgh1"} x',
    'deep nesting': `${'['.repeat(5000)}${']'.repeat(5000)}`,
  };
  for (const [name, body] of Object.entries(bodies)) {
    for (const target of ['/auth/login', '/auth/signup']) {
      const response = await client.post(target, { body, headers: { 'content-type': 'application/json' } });
      assert.equal(response.status, 400, `${name} to ${target}: ${response}`);
      assert.deepEqual(response.json, { error: 'malformed_json' }, `${name} to ${target}: ${response}`);
    }
  }
});

test('well-formed JSON with missing or mistyped fields is 400', async () => {
  const client = server.client();
  const bodies = [
    { username: 'a' },
    { password: 'abcdefgh1' },
    { username: 1, password: 'abcdefgh1' },
    { username: 'a', password: ['abcdefgh1'] },
    { username: 'a', password: 'abcdefgh1', remember: 'yes' },
  ];
  for (const json of bodies) {
    const response = await client.post('/auth/login', { json });
    assert.equal(response.status, 400, `${JSON.stringify(json)}: ${response}`);
    assert.deepEqual(response.setCookies, []);
  }
});

test('a body over 16 KiB is 413, refused on its Content-Length before it is sent', async () => {
  const answer = await rawExchange(server.port, [head([
    'POST /auth/login HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Content-Length: 20000',
  ])], { timeoutMs: 5000 });
  assert.equal(answer.status, 413, `raw answer: ${answer.raw} (error ${answer.error})`);
  // Through node:http with the body, too.
  const big = JSON.stringify({ username: uniqueName(), password: 'p'.repeat(17000) });
  const response = await server.client().post('/auth/signup', { json: undefined, body: big, headers: { 'content-type': 'application/json' } })
    .catch((error) => ({ status: `error ${error.code ?? error.message}` }));
  assert.equal(response.status, 413, `${response}`);
});

test('a chunked body that grows over 16 KiB is 413', async () => {
  const piece = `1000\r\n${'a'.repeat(0x1000)}\r\n`;
  const answer = await rawExchange(server.port, [
    head(['POST /auth/login HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Transfer-Encoding: chunked']),
    '1\r\n{\r\n', piece, piece, piece, piece, piece, piece, '0\r\n\r\n',
  ], { delayMs: 20, timeoutMs: 5000 });
  assert.equal(answer.status, 413, `raw answer: ${answer.raw} (error ${answer.error})`);
});

test('a request head over 8 KiB is 431', async () => {
  const long = await rawExchange(server.port, [
    'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    ...Array.from({ length: 9 }, () => `X-Filler: ${'f'.repeat(1000)}\r\n`),
    '\r\n',
  ], { delayMs: 5, timeoutMs: 5000 });
  assert.equal(long.status, 431, `one long head: ${long.raw} (error ${long.error})`);
  const cookie = await server.client().get('/healthz', { headers: { cookie: `x=${'c'.repeat(9000)}` } })
    .catch((error) => ({ status: `error ${error.code ?? error.message}` }));
  assert.equal(cookie.status, 431, `a 9000-byte Cookie header: ${cookie}`);
});

test('a long URL is refused (414 or 431)', async () => {
  const response = await server.client().get(`/healthz?${'q'.repeat(9000)}`)
    .catch((error) => ({ status: `error ${error.code ?? error.message}` }));
  assert.ok([414, 431].includes(response.status), `${response}`);
});

test('a head that stops arriving is 408 after header_timeout', async () => {
  const answer = await rawExchange(server.port, ['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n'], { timeoutMs: 8000 });
  assert.equal(answer.status, 408, `raw answer: ${answer.raw} (error ${answer.error}, ${answer.elapsedMs} ms)`);
  assert.ok(answer.elapsedMs >= 800 && answer.elapsedMs < 5000, `after ${answer.elapsedMs} ms`);
});

test('slowloris: a head dribbled one byte at a time is cut off by the header deadline', async () => {
  const text = head(['GET /healthz HTTP/1.1', 'Host: 127.0.0.1', 'User-Agent: slow', 'Accept: */*', 'X-Padding: aaaaaaaaaaaaaaaaaaaa']);
  const answer = await rawExchange(server.port, [...text], { delayMs: 150, timeoutMs: 15000 });
  assert.equal(answer.status, 408, `raw answer: ${answer.raw} (error ${answer.error}, ${answer.elapsedMs} ms)`);
  assert.ok(answer.elapsedMs < 5000, `cut off after ${answer.elapsedMs} ms, while the dribble lasts ${text.length * 150} ms`);
});

test('a body that stops arriving is 408 after body_timeout', async () => {
  const answer = await rawExchange(server.port, [
    head(['POST /auth/login HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Content-Length: 100']),
    '{"username":',
  ], { timeoutMs: 8000 });
  assert.equal(answer.status, 408, `raw answer: ${answer.raw} (error ${answer.error}, ${answer.elapsedMs} ms)`);
});

test('many stalled connections do not stop others from being served', async () => {
  const stalled = Array.from({ length: 30 }, () => rawExchange(server.port, ['POST /auth/login HTTP/1.1\r\n'], { timeoutMs: 8000 }));
  const client = server.client({ headers: {} });
  for (let i = 0; i < 5; i += 1) {
    expectStatus(await client.get('/healthz'), 200);
  }
  const answers = await Promise.all(stalled);
  for (const answer of answers) {
    assert.ok(answer.status === 408 || answer.closed, `stalled connection: ${answer.raw}`);
  }
});

test('unparsable requests are 400', async () => {
  const requests = {
    'garbage request line': 'GARBAGE\r\n\r\n',
    'Content-Length and Transfer-Encoding': head(['POST /auth/login HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json',
      'Content-Length: 5', 'Transfer-Encoding: chunked']) + '0\r\n\r\n',
    'two different Content-Lengths': head(['POST /auth/login HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json',
      'Content-Length: 2', 'Content-Length: 3']) + '{}x',
    'bad Content-Length': head(['POST /auth/login HTTP/1.1', 'Host: 127.0.0.1', 'Content-Length: -1']),
    'bad chunk size': head(['POST /auth/login HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json',
      'Transfer-Encoding: chunked']) + 'zz\r\n{}\r\n0\r\n\r\n',
    'NUL in a header': head(['GET /healthz HTTP/1.1', 'Host: 127.0.0.1', 'X-Bad: a\u0000b']),
  };
  for (const [name, text] of Object.entries(requests)) {
    const answer = await rawExchange(server.port, [text], { timeoutMs: 5000 });
    assert.equal(answer.status, 400, `${name}: ${answer.raw} (error ${answer.error})`);
  }
});

test('unknown paths are 404, wrong methods 405', async () => {
  const client = server.client();
  for (const target of ['/nope', '/auth', '/auth/', '/auth/login/x', '/AUTH/LOGIN', '/auth/../healthz']) {
    const response = await client.get(target);
    assert.ok([404, 400].includes(response.status), `${response}`);
  }
  expectStatus(await client.get('/nope'), 404);
  expectStatus(await client.post('/nope', { json: {} }), 404);
  const wrongMethods = [
    ['GET', '/auth/login'], ['GET', '/auth/signup'], ['GET', '/auth/refresh'], ['GET', '/auth/logout'],
    ['GET', '/auth/logout-all'], ['POST', '/auth/session'], ['PUT', '/auth/login'], ['DELETE', '/auth/session'],
    ['POST', '/healthz'],
  ];
  const wrong = [];
  for (const [method, target] of wrongMethods) {
    const response = await client.request(method, target);
    // RFC 9110 §15.5.6: a 405 carries Allow.
    if (response.status !== 405 || !response.headers.allow) {
      wrong.push(`${method} ${target} → ${response.status} Allow=${response.headers.allow} ${response.body}`);
    }
  }
  assert.deepEqual(wrong, [], 'wrong methods must be 405 with Allow');
});

test('after all that, login still works', async () => {
  const client = server.client();
  const username = uniqueName();
  const password = newPassword();
  expectStatus(await client.signup(username, password), 201);
  expectStatus(await client.login(username, password), 200);
  expectStatus(await client.get('/auth/session'), 200);
});

test('the parallel /healthz client got only 200s throughout', async () => {
  const result = await poller.stop();
  poller = null;
  assert.deepEqual(result.errors, [], `health poll errors: ${result.errors.slice(0, 5).join('; ')}`);
  assert.deepEqual([...result.statuses.keys()], [200], `statuses: ${JSON.stringify([...result.statuses])}`);
  assert.ok(result.count >= 20, `only ${result.count} polls`);
});

test('no response body carried a token', () => {
  assertNoTokenInAnyBody();
});
