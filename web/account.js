// The account page: who is logged in, their sessions (device = user agent, last use),
// "log out" for any one of them, and "log out everywhere". Text only ever goes into the
// page through textContent, never as HTML.
import { cell, showStatus, when } from '/assets/page.js';
import { listSessions, logout, logoutAll, revokeSession, session } from '/assets/writ-client.js';

const status = document.getElementById('status');
const account = document.getElementById('account');
const rows = document.getElementById('session-rows');

function toLogin() {
  globalThis.location.replace('/login?next=%2Faccount');
}

function show(text, isError = false) {
  showStatus(status, text, isError);
}

function renderSessions(sessions) {
  rows.replaceChildren();
  for (const entry of sessions) {
    const row = document.createElement('tr');
    row.dataset.sessionId = entry.id;
    const device = cell(row, entry.user_agent || 'Unknown device', 'device');
    if (entry.current) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = 'this browser';
      device.append(badge);
      row.classList.add('current');
    }
    cell(row, `${when(entry.last_used_at)}${entry.ip ? ` · ${entry.ip}` : ''}`);
    cell(row, when(entry.created_at));
    const action = document.createElement('button');
    action.type = 'button';
    action.className = 'small revoke';
    action.textContent = entry.current ? 'Log out' : 'Log out this session';
    action.addEventListener('click', () => revoke(entry));
    row.append(document.createElement('td'));
    row.lastChild.append(action);
    rows.append(row);
  }
}

async function refreshList() {
  let sessions;
  try {
    sessions = await listSessions();
  } catch {
    show('Your sessions could not be loaded; try again later.', true);
    return;
  }
  if (sessions === null) {
    toLogin();
    return;
  }
  renderSessions(sessions);
}

async function revoke(entry) {
  const result = await revokeSession(entry.id);
  if (entry.current && result.ok) {
    toLogin();
    return;
  }
  if (!result.ok) {
    show(`Could not log out that session (${result.error}).`, true);
  }
  await refreshList();
}

async function start() {
  const current = await session();
  if (!current) {
    toLogin();
    return;
  }
  document.getElementById('username').textContent = current.user.username;
  show('');
  account.hidden = false;
  await refreshList();
}

document.getElementById('logout').addEventListener('click', async () => {
  const result = await logout();
  if (result.ok || result.status === 401) {
    toLogin();
  } else {
    show(`Logout failed (${result.error}); try again.`, true);
  }
});

document.getElementById('logout-all').addEventListener('click', async () => {
  const result = await logoutAll();
  if (result.ok || result.status === 401) {
    toLogin();
  } else {
    show(`Logout failed (${result.error}); try again.`, true);
  }
});

start().catch(() => show('The server could not be reached.', true));
