// The live stream: one WebSocket to /ws/events (authenticated with ?token=, as browsers cannot set
// headers on it), reconnecting after a drop. Pages listen while they are shown.
import { session } from './api.js';

const listeners = new Set();
let socket = null;
let retry = null;
let delay = 500;

function setStatus(text, state) {
  const badge = document.getElementById('live-status');
  if (badge) { badge.textContent = text; badge.dataset.state = state; }
}

export function connect() {
  if (socket || !session.key) return;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  socket = new WebSocket(`${scheme}://${location.host}/ws/events?token=${encodeURIComponent(session.key)}`);
  socket.addEventListener('open', () => {
    delay = 500;
    setStatus('live', 'open');
    // The stream is live, not a replay: whatever changed before it (re)opened is read again by the page.
    for (const listener of listeners) listener({ resync: true });
  });
  socket.addEventListener('message', message => {
    let change;
    try { change = JSON.parse(message.data); } catch { return; }
    for (const listener of listeners) listener(change);
  });
  socket.addEventListener('close', () => {
    socket = null;
    setStatus('reconnecting…', 'closed');
    if (session.key) retry = setTimeout(connect, delay = Math.min(delay * 2, 15000));
  });
}

export function disconnect() {
  clearTimeout(retry);
  const closing = socket;
  socket = null;
  closing?.close();
  setStatus('offline', 'closed');
}

/** Calls back with every task change (and { resync: true } when the stream (re)opens) until the returned function is called. */
export function onTaskChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
