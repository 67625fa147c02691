// Webhooks: subscriptions (create, with the generated secret shown once; events; rotate; enable or
// disable; delete), a signed test ping, and recovering what failed. Deliveries open on their own page.
import { api, act } from '../api.js';
import { h, fill, when, field, confirmAction, notify } from '../dom.js';

export const EVENTS = ['task.created', 'task.queued', 'task.running', 'task.pr_opened', 'task.completed', 'task.failed', 'task.cancelled', 'task.needs_attention'];

export async function render(main) {
  const subscriptions = await api('/api/webhooks');
  const secretArea = h('div', { id: 'secret-once' });
  fill(main,
    h('h1', {}, 'Webhooks'),
    secretArea,
    subscriptions.length
      ? h('div', { class: 'cards subscriptions' }, subscriptions.map(s => card(s, main)))
      : h('p', { class: 'empty' }, 'No subscription yet.'),
    h('h2', {}, 'Subscribe'),
    createForm(main));
}

/** A secret is shown once, in the answer that made it: say so, and keep it on screen until dismissed. */
function showSecret(area, subscription) {
  fill(area, h('div', { class: 'note secret', role: 'status' },
    h('strong', {}, `Secret of ${subscription.url}: shown this once, copy it now.`),
    h('code', { class: 'secret-value' }, subscription.secret)));
}

function createForm(main) {
  const boxes = ['*', ...EVENTS].map(event => {
    const id = `event-${event.replace(/[^a-z*]/g, '-').replace('*', 'all')}`;
    return h('div', { class: 'field check' }, h('input', { id, type: 'checkbox', name: 'events', value: event, checked: event === '*' }),
      h('label', { for: id }, event === '*' ? 'every event (*)' : event));
  });
  return h('form', { class: 'form', 'aria-label': 'Subscribe', on: { submit: async e => {
    e.preventDefault();
    const data = new FormData(e.target);
    const body = { url: String(data.get('url')).trim(), events: data.getAll('events'), secret: String(data.get('secret') ?? '').trim() || null };
    const created = await act(e.submitter, () => api('/api/webhooks', { method: 'POST', body }), 'Subscribed.');
    if (!created) return;
    await render(main);
    if (created.secret) showSecret(document.getElementById('secret-once'), created);
  } } },
    field('Endpoint URL', h('input', { name: 'url', type: 'url', required: true, placeholder: 'https://hooks.example.com/optio' })),
    field('Secret', h('input', { name: 'secret', type: 'password', autocomplete: 'off', placeholder: 'leave empty to generate one' })),
    h('fieldset', { class: 'filters' }, h('legend', {}, 'Events'), boxes),
    h('button', { type: 'submit' }, 'Subscribe'));
}

function card(sub, main) {
  const result = h('p', { class: 'muted', 'aria-live': 'polite' });
  const patch = (body, message) => act(null, () => api(`/api/webhooks/${sub.id}`, { method: 'PATCH', body }), message);
  return h('article', { class: 'card subscription', dataset: { subscriptionId: sub.id } },
    h('div', { class: 'row' }, h('h2', {}, sub.url),
      h('span', { class: `badge ${sub.enabled ? 'ok' : 'bad'}` }, sub.enabled ? 'enabled' : 'disabled')),
    h('dl', { class: 'details' },
      h('dt', {}, 'Events'), h('dd', {}, sub.events.map(e => h('span', { class: 'label' }, e))),
      sub.disabledReason ? [h('dt', {}, 'Disabled'), h('dd', {}, sub.disabledReason, ' ', when(sub.disabledAt))] : null,
      sub.failingSince ? [h('dt', {}, 'Failing since'), h('dd', {}, when(sub.failingSince))] : null,
      sub.rotatingSecret ? [h('dt', {}, 'Secret'), h('dd', {}, 'rotated: the previous one still signs for 24 h')] : null,
      h('dt', {}, 'Created'), h('dd', {}, when(sub.createdAt))),
    h('div', { class: 'row' },
      h('a', { href: `#/webhooks/${sub.id}` }, 'Deliveries'),
      h('button', { class: 'secondary', on: { click: async e => {
        const ping = await act(e.target, () => api(`/api/webhooks/${sub.id}/test`, { method: 'POST' }));
        if (ping) {
          const a = ping.attempts.at(-1);
          result.textContent = a?.succeeded ? `Test ping delivered (${a.statusCode}).` : `Test ping failed: ${a?.statusCode ?? ''} ${a?.error ?? a?.responseExcerpt ?? ''}`;
        }
      } } }, 'Send test'),
      h('button', { class: 'secondary', on: { click: async () => {
        if (await patch({ enabled: !sub.enabled }, `Subscription ${sub.enabled ? 'disabled' : 'enabled'}.`)) await render(main);
      } } }, sub.enabled ? 'Disable' : 'Enable'),
      h('button', { class: 'secondary', on: { click: async () => {
        if (!await confirmAction('Rotate the secret? The old one keeps signing for 24 h beside the new one.', 'Rotate')) return;
        const rotated = await patch({ rotateSecret: true });
        if (rotated) { await render(main); showSecret(document.getElementById('secret-once'), rotated); }
      } } }, 'Rotate secret'),
      h('button', { class: 'secondary', on: { click: async e => {
        if (!await confirmAction('Resend every delivery that failed in the last 24 h?', 'Recover')) return;
        const done = await act(e.target, () => api(`/api/webhooks/${sub.id}/recover`, { method: 'POST', body: {} }));
        if (done) notify(`${done.redelivered} deliver${done.redelivered === 1 ? 'y' : 'ies'} queued again.`);
      } } }, 'Recover'),
      h('button', { class: 'danger', on: { click: async e => {
        if (!await confirmAction(`Delete the subscription to ${sub.url}? What it still had to send is abandoned.`, 'Delete')) return;
        if (await act(e.target, () => api(`/api/webhooks/${sub.id}`, { method: 'DELETE' }), 'Subscription deleted.') !== undefined) await render(main);
      } } }, 'Delete')),
    result);
}
