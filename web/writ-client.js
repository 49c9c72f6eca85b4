// writ-client.js: the browser side of writ's cookie sessions, for writ's own pages and for
// applications served from the same origin as writ. No dependencies; docs/frontend.md.
//
// What it never does: see a token. The access and refresh tokens live in HttpOnly cookies
// that page scripts cannot read; this module only ever holds the session's CSRF token (in
// this module's memory, never in localStorage, sessionStorage or a cookie), which the server
// hands to the page in the body of login and GET /auth/session and which is worthless
// without the cookies.
//
// writFetch(url, options) is fetch() with:
//  - credentials: 'same-origin' (the cookies go to writ's origin only);
//  - X-CSRF-Token on unsafe methods to the page's own origin (never to another origin);
//  - on a 403 csrf_rejected, the current session's CSRF token is read again and the request
//    retried once (another tab may have logged out and in again, changing the session);
//  - on a 401, one refresh (POST /auth/refresh) and one retry. Refreshes are serialised
//    across the tabs of the browser with the Web Locks API: a tab that gets the lock first
//    re-reads GET /auth/session, because the tab before it may already have refreshed, and
//    only refreshes when the session is still not valid. Two tabs therefore never present
//    the same refresh token twice, which writ would treat as token theft
//    (refresh_reuse: the whole session is revoked).

const REFRESH_LOCK = 'writ-refresh';
// At most this many refreshes per writFetch call; a second 401 after a successful refresh
// is returned to the caller (the session was revoked, or the access token is refused).
const MAX_REFRESHES_PER_REQUEST = 1;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

let csrfToken = null;
// The refresh this tab is running, shared by every writFetch of the tab that needs one.
let refreshing = null;

function isSameOrigin(url) {
  return new URL(url, globalThis.location.href).origin === globalThis.location.origin;
}

function baseFetch(url, options = {}) {
  return fetch(url, { ...options, credentials: 'same-origin' });
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function remember(body) {
  if (body && typeof body.csrf_token === 'string') {
    csrfToken = body.csrf_token;
  }
}

// GET /auth/session without refreshing: {user, expires_at} or null (and the CSRF token is
// kept in memory).
async function readSession() {
  const response = await baseFetch('/auth/session', { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    return null;
  }
  const body = await readJson(response);
  remember(body);
  return body ? { user: body.user, expires_at: body.expires_at } : null;
}

async function refreshUnderLock() {
  // Another tab may have refreshed while this one waited for the lock: its new cookies
  // are already in the jar, and refreshing again would present a spent token.
  if (await readSession()) {
    return true;
  }
  const response = await baseFetch('/auth/refresh', { method: 'POST', headers: { Accept: 'application/json' } });
  if (!response.ok) {
    csrfToken = null;
    return false;
  }
  remember(await readJson(response));
  return true;
}

// Makes the session valid again if it can: true when the cookies now hold a valid access
// token. One refresh at a time per tab, and one at a time across the tabs.
export function refresh() {
  if (refreshing === null) {
    const locks = globalThis.navigator?.locks;
    const run = locks ? locks.request(REFRESH_LOCK, refreshUnderLock) : refreshUnderLock();
    refreshing = run.finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function ensureCsrfToken() {
  if (csrfToken === null && !(await readSession())) {
    await refresh();
  }
  return csrfToken;
}

// fetch() for the page's own origin with writ's session: see the top of this file. Returns
// the Response; a 401 after the refresh means the user has to log in again.
export async function writFetch(url, options = {}) {
  const method = (options.method ?? 'GET').toUpperCase();
  const sameOrigin = isSameOrigin(url);
  const send = async () => {
    const headers = new Headers(options.headers ?? {});
    if (sameOrigin && !SAFE_METHODS.has(method)) {
      const token = await ensureCsrfToken();
      if (token !== null) {
        headers.set('X-CSRF-Token', token);
      }
    }
    return baseFetch(url, { ...options, method, headers });
  };
  let response = await send();
  for (let refreshes = 0; sameOrigin && response.status === 401 && refreshes < MAX_REFRESHES_PER_REQUEST; refreshes += 1) {
    if (!(await refresh())) {
      break;
    }
    response = await send();
  }
  if (sameOrigin && response.status === 403 && !SAFE_METHODS.has(method) && (await isCsrfRefusal(response))) {
    // The token in memory belongs to an earlier session (another tab logged out and in
    // again): learn the current session's token and try once more.
    const stale = csrfToken;
    if ((await readSession()) && csrfToken !== stale) {
      response = await send();
    }
  }
  return response;
}

async function isCsrfRefusal(response) {
  return (await readJson(response.clone()))?.error === 'csrf_rejected';
}

function postJson(path, body) {
  return baseFetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

// {ok, status, user, error}: the shape every helper below answers with.
async function outcome(response) {
  const body = response.status === 204 ? null : await readJson(response);
  return {
    ok: response.ok,
    status: response.status,
    user: body?.user ?? null,
    error: body?.error ?? (response.ok ? null : `http_${response.status}`),
    retryAfter: response.headers.get('Retry-After'),
  };
}

// POST /auth/login. On success the cookies are set by the browser and the CSRF token is
// kept in memory.
export async function login(username, password, { remember: rememberMe = false } = {}) {
  const response = await postJson('/auth/login', { username, password, remember: rememberMe === true });
  const result = await outcome(response.clone());
  if (response.ok) {
    remember(await readJson(response));
  }
  return result;
}

// POST /auth/signup (does not log in).
export async function signup(username, password) {
  return outcome(await postJson('/auth/signup', { username, password }));
}

// The current session, refreshing once when the access token has expired: {user,
// expires_at} or null when logged out.
export async function session() {
  const current = await readSession();
  if (current) {
    return current;
  }
  return (await refresh()) ? readSession() : null;
}

// POST /auth/logout: ends this session (every tab of this browser shares it).
export async function logout() {
  const result = await outcome(await writFetch('/auth/logout', { method: 'POST' }));
  csrfToken = null;
  return result;
}

// POST /auth/logout-all: ends every session of the user, on every device.
export async function logoutAll() {
  const result = await outcome(await writFetch('/auth/logout-all', { method: 'POST' }));
  csrfToken = null;
  return result;
}

// GET /auth/sessions: the user's active sessions, newest first, or null when logged out;
// throws on any other failure.
export async function listSessions() {
  const response = await writFetch('/auth/sessions', { headers: { Accept: 'application/json' } });
  if (response.status === 401) {
    return null;
  }
  const body = response.ok ? await readJson(response) : null;
  if (!Array.isArray(body?.sessions)) {
    throw new Error(`GET /auth/sessions: ${response.status}`);
  }
  return body.sessions;
}

// POST /auth/sessions/revoke: ends one of the user's own sessions by id.
export async function revokeSession(sessionId) {
  return outcome(await writFetch('/auth/sessions/revoke', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ session_id: sessionId }),
  }));
}
