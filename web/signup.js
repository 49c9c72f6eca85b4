// The signup page: POST /auth/signup, then log in with the same credentials.
import { login, signup } from '/assets/writ-client.js';

const form = document.getElementById('signup-form');
const message = document.getElementById('message');
const submit = document.getElementById('signup-submit');

const REASONS = {
  username_taken: 'That username is taken.',
  invalid_username: 'Usernames are 1–64 characters: letters, digits, and . _ @ -',
  password_too_short: 'The password is too short.',
  password_too_long: 'The password is too long.',
  password_too_common: 'That password is too common; choose another.',
  signup_disabled: 'Signup is not open on this server.',
  throttled: 'Too many attempts. Try again later.',
};

function show(text, isError) {
  message.textContent = text;
  message.classList.toggle('error', isError);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  submit.disabled = true;
  show('', false);
  try {
    const username = form.username.value;
    const password = form.password.value;
    const created = await signup(username, password);
    if (!created.ok) {
      show(REASONS[created.error] ?? `Signup failed (${created.error}).`, true);
      return;
    }
    const loggedIn = await login(username, password);
    form.password.value = '';
    globalThis.location.assign(loggedIn.ok ? '/account' : '/login');
  } catch {
    show('The server could not be reached.', true);
  } finally {
    submit.disabled = false;
  }
});
