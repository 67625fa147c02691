// The shell: sign-in, navigation and the hash router (#/tasks, #/tasks/<id>, …). Each page is a module
// exporting render(main, params) that may return a function to call when the page is left.
import { api, session, ApiError } from './api.js';
import { fill, h } from './dom.js';
import * as live from './live.js';

const pages = {
  overview: () => import('./pages/overview.js'),
  tasks: () => import('./pages/tasks.js'),
  task: () => import('./pages/task.js'),
  issues: () => import('./pages/issues.js'),
  providers: () => import('./pages/providers.js'),
  repos: () => import('./pages/repos.js'),
  webhooks: () => import('./pages/webhooks.js'),
  deliveries: () => import('./pages/deliveries.js'),
};

const main = document.getElementById('main');
let leave = null;

/** #/tasks/<id>?x=1 → { page: 'task', id, params }. */
function route() {
  const [path, search] = location.hash.replace(/^#\/?/, '').split('?');
  const [section, id] = path.split('/');
  const params = new URLSearchParams(search ?? '');
  if (section === 'tasks' && id) return { page: 'task', id, params };
  if (section === 'webhooks' && id) return { page: 'deliveries', id, params };
  return { page: pages[section] ? section : 'overview', id: null, params };
}

let shown = 0;

async function show() {
  if (!session.key) return signInForm();
  const visit = ++shown;
  document.body.dataset.signedIn = 'true';
  const { page, id, params } = route();
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === page || (a.dataset.page === 'tasks' && page === 'task') || (a.dataset.page === 'webhooks' && page === 'deliveries'))
      a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  leave?.();
  leave = null;
  main.dataset.page = page;
  fill(main, h('p', { class: 'muted' }, 'Loading…'));
  // The page renders into a container of its own, shown once it is ready, unless the reader has moved on meanwhile.
  const view = h('div', { class: 'page' });
  let left = null;
  try {
    const module = await pages[page]();
    left = await module.render(view, { id, params }) ?? null;
  } catch (error) {
    fill(view, h('div', { class: 'note error', role: 'alert' }, error.message));
  }
  if (visit !== shown) { left?.(); return; }
  leave = left;
  fill(main, view);
  document.title = `${main.querySelector('h1')?.textContent ?? 'Optio'} · Optio console`;
}

function signInForm(message) {
  shown++;
  leave?.();
  leave = null;
  live.disconnect();
  document.body.dataset.signedIn = 'false';
  main.dataset.page = 'sign-in';
  const input = h('input', { id: 'api-key', name: 'key', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { id: 'sign-in-error', class: 'note error', role: 'alert', hidden: !message }, message ?? '');
  const form = h('form', { class: 'card sign-in', on: { submit: async event => {
    event.preventDefault();
    const key = input.value.trim();
    try {
      await api('/api/tasks?pageSize=1', { key });
      session.signIn(key);
      live.connect();
      show();
    } catch (e) {
      error.hidden = false;
      error.textContent = e instanceof ApiError && e.status === 401
        ? 'That API key was not accepted. Use a key from Optio:ApiKeys (in Development: optio-dev-key).'
        : `Could not sign in: ${e.message}`;
      input.select();
    }
  } } },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'Paste an Optio API key. It is kept for this browser tab only and sent as a bearer token with every request.'),
    h('label', { for: 'api-key' }, 'API key'), input, error,
    h('button', { type: 'submit' }, 'Sign in'));
  fill(main, form);
  input.focus();
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  signInForm();
});
window.addEventListener('optio:signed-out', () => {
  session.signOut();
  signInForm('The API key is no longer accepted: sign in again.');
});
// The skip link moves focus without touching the hash, which is the router's.
document.querySelector('.skip').addEventListener('click', event => { event.preventDefault(); main.focus(); });
window.addEventListener('hashchange', show);
if (session.key) live.connect();
show();
