// Helpers of the browser tests: a real `writ serve` (tests/integration/harness.mjs) on
// http://localhost:PORT — a secure context for Chromium, so Secure and __Host- cookies work —
// and Debian's Chromium driven by playwright-core (never a downloaded browser).
//
// WRIT_BINARY is the writ binary (ctest sets it); WRIT_CHROMIUM overrides /usr/bin/chromium;
// WRIT_SCREENSHOT_DIR is where screenshots go (ctest: the build folder).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { ACCESS_COOKIE, REFRESH_COOKIE, WritServer, newPassword, uniqueName } from '../integration/harness.mjs';

export { ACCESS_COOKIE, REFRESH_COOKIE, newPassword, uniqueName };

export const CHROMIUM = process.env.WRIT_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = process.env.WRIT_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'writ-browser-screenshots');
export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;

// The flags this machine needs (no sandbox as root, no background connections to a closed
// network); playwright adds a fresh --user-data-dir per launch.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// A TCP port that was free a moment ago (the server needs it before it starts, because
// allowed_origins must name it).
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// writ serve on 127.0.0.1:PORT with allowed_origins ["http://localhost:PORT"]; the pages
// are at server.origin. `overrides` as for the integration harness.
export async function startWrit(overrides = {}) {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const server = new WritServer({ listen: `127.0.0.1:${port}`, allowed_origins: [origin], ...overrides });
    try {
      await server.start();
      server.origin = origin;
      return server;
    } catch (error) {
      fs.rmSync(server.dir, { recursive: true, force: true });
      // Another process took the port in between: try another one.
      if (attempt >= 3 || !/address already in use|bind/i.test(String(error))) {
        throw error;
      }
    }
  }
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// A context that records every response body its pages received and every CSP violation
// or script error the pages reported.
export async function recordingContext(browser, options = {}) {
  const context = await browser.newContext(options);
  context.bodies = [];
  context.problems = [];
  context.on('response', async (response) => {
    try {
      const body = await response.text();
      context.bodies.push({ where: `${response.request().method()} ${response.url()} → ${response.status()}`, body });
    } catch {
      // redirects and aborted requests have no body
    }
  });
  context.on('page', (page) => watchPage(context, page));
  return context;
}

function watchPage(context, page) {
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to|TrustedHTML|TrustedScript/i.test(message.text())) {
      context.problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => context.problems.push(`pageerror: ${error.message}`));
}

// The values of writ's cookies in the context (read through the browser's own cookie
// store, which page scripts cannot do for HttpOnly cookies).
export async function tokenCookies(context) {
  const cookies = await context.cookies();
  return cookies.filter((cookie) => cookie.name === ACCESS_COOKIE || cookie.name === REFRESH_COOKIE);
}

export async function signupThroughPage(page, server, username, password) {
  await page.goto(`${server.origin}/signup`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${server.origin}/account`), page.click('#signup-submit')]);
  await page.waitForSelector('#account:not([hidden])');
}

export async function loginThroughPage(page, server, username, password, { remember = false } = {}) {
  await page.goto(`${server.origin}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  if (remember) {
    await page.check('#remember');
  }
  await Promise.all([page.waitForURL(`${server.origin}/account`), page.click('#login-submit')]);
  await page.waitForSelector('#account:not([hidden])');
}

// A user created through the JSON API (quick), for tests that are not about signup.
export async function createUser(server) {
  const username = uniqueName('b');
  const password = newPassword();
  const response = await server.client({ headers: {} }).signup(username, password);
  assert.equal(response.status, 201, `${response}`);
  return { username, password };
}

// Runs writ-client.js's writFetch in the page (as an application would) and returns
// {status, body}.
export function writFetchInPage(page, url, options = {}) {
  return page.evaluate(async ([target, init]) => {
    const client = await import('/assets/writ-client.js');
    const response = await client.writFetch(target, init);
    return { status: response.status, body: await response.text() };
  }, [url, options]);
}

export function screenshotPath(name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, name);
}

export function auditEvents(server, name) {
  return server.auditLines().filter((line) => line.event === name);
}
