// The one way the console talks to Optio: fetch with the signed-in key, problem details turned into
// errors a person can read.
import { notify } from './dom.js';

const KEY = 'optio.apiKey';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  signIn(key) { sessionStorage.setItem(KEY, key); },
  signOut() { sessionStorage.removeItem(KEY); },
};

/** An answer that was not 2xx: its RFC 9457 problem details, when it had them. */
export class ApiError extends Error {
  constructor(status, problem) {
    const title = problem?.title ?? `HTTP ${status}`;
    super(problem?.detail ? `${title}: ${problem.detail}` : title);
    this.status = status;
    this.problem = problem;
  }
}

/** Calls the API; resolves with the JSON answer (null for 204), rejects with an ApiError. */
export async function api(path, { method = 'GET', body, key = session.key } = {}) {
  const headers = { Authorization: `Bearer ${key ?? ''}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!response.ok) {
    const error = new ApiError(response.status, json);
    if (response.status === 401 && key === session.key) window.dispatchEvent(new CustomEvent('optio:signed-out', { detail: error }));
    throw error;
  }
  return json;
}

/** Runs an action from a button: the button is busy meanwhile, a failure is shown to the user. */
export async function act(button, action, done) {
  if (button) button.disabled = true;
  try {
    const result = await action();
    if (done) notify(typeof done === 'function' ? done(result) : done);
    return result;
  } catch (error) {
    notify(error.message, 'error');
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** A query string from the entries that have a value. */
export const query = params => {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ''));
  return q.size ? `?${q}` : '';
};
