// The login page: POST /auth/login through writ-client.js, then on to ?next= (same origin
// only, so the page cannot be used as an open redirect) or the account page.
import { login, session } from '/assets/writ-client.js';

const form = document.getElementById('login-form');
const message = document.getElementById('message');
const submit = document.getElementById('login-submit');

// A same-origin path from ?next=, else /account. new URL() resolves "//evil.test",
// "/\\evil.test" and "https://evil.test" to another origin, which is refused. A same-origin
// URL whose path starts with "//" ("/.//evil.test", "/x/..//evil.test") is refused too:
// returned as a path, "//evil.test" is a scheme-relative URL of another host.
export function nextLocation(search = globalThis.location.search) {
  const next = new URLSearchParams(search).get('next');
  if (next) {
    try {
      const url = new URL(next, globalThis.location.origin);
      if (url.origin === globalThis.location.origin && !/^[/\\]{2}/.test(url.pathname)) {
        return url.pathname + url.search + url.hash;
      }
    } catch {
      // not a URL: fall through
    }
  }
  return '/account';
}

function show(text, isError) {
  message.textContent = text;
  message.classList.toggle('error', isError);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  submit.disabled = true;
  show('', false);
  try {
    const result = await login(form.username.value, form.password.value, { remember: form.remember.checked });
    if (result.ok) {
      form.password.value = '';
      globalThis.location.assign(nextLocation());
      return;
    }
    if (result.status === 429 || result.status === 503) {
      show(`Too many attempts. Try again in ${result.retryAfter ?? 'a few'} seconds.`, true);
    } else {
      show('Wrong username or password.', true);
    }
  } catch {
    show('The server could not be reached.', true);
  } finally {
    submit.disabled = false;
  }
});

// Already logged in (another tab, or a remembered session): go straight on.
session().then((current) => {
  if (current) {
    globalThis.location.replace(nextLocation());
  }
}, () => {});
