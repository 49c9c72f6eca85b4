// Refresh-token rotation under load: WORKERS clients, each with its own session, each
// rotating its refresh token (POST /auth/refresh) back to back for SECONDS. A refresh
// benchmark cannot be a fixed wrk request: every answer carries the next token, and
// presenting a spent one is theft detection, not load. Prints one JSON line:
// {"requests", "failed", "rps", "p50_ms", "p99_ms"}.
//
//   node refresh_load.mjs BASE_URL WORKERS SECONDS
import http from 'node:http';

const [base, workersArg, secondsArg] = process.argv.slice(2);
const url = new URL(base);
const workers = Number(workersArg);
const seconds = Number(secondsArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: workers });
const browser = { origin: 'http://127.0.0.1', 'sec-fetch-site': 'same-origin' };

function post(path, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path, method: 'POST', agent, headers: {
      ...browser, ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
    } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function refreshCookie(response) {
  for (const line of response.headers['set-cookie'] ?? []) {
    const match = /^(__Secure-writ-refresh=[^;]+)/.exec(line);
    if (match) {
      return match[1];
    }
  }
  return undefined;
}

async function login() {
  const response = await post('/auth/login', {}, JSON.stringify({ username: 'bench', password: 'a benchmark passphrase' }));
  const cookie = refreshCookie(response);
  if (response.statusCode !== 200 || !cookie) {
    throw new Error(`login answered ${response.statusCode}`);
  }
  return cookie;
}

async function worker(cookie, deadline, latencies) {
  let failed = 0;
  while (Date.now() < deadline) {
    const started = process.hrtime.bigint();
    const response = await post('/auth/refresh', { cookie });
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    const next = refreshCookie(response);
    if (response.statusCode === 200 && next) {
      cookie = next;
    } else {
      failed += 1;
      break;  // a refused refresh ends this session: count it and stop this worker
    }
  }
  return failed;
}

const cookies = await Promise.all(Array.from({ length: workers }, login));
const latencies = [];
const started = Date.now();
const deadline = started + seconds * 1000;
const failures = await Promise.all(cookies.map((cookie) => worker(cookie, deadline, latencies)));
const elapsed = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
console.log(JSON.stringify({
  requests: latencies.length, failed: failures.reduce((a, b) => a + b, 0),
  rps: latencies.length / elapsed, p50_ms: pct(0.5), p99_ms: pct(0.99),
}));
agent.destroy();
