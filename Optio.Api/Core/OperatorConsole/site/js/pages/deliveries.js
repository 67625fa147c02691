// A subscription's delivery history, newest first, with every attempt; redeliver one.
import { api, act, query } from '../api.js';
import { h, fill, when, field, select } from '../dom.js';

const PAGE_SIZE = 25;

export async function render(main, { id, params }) {
  const status = params.get('status') ?? '';
  const page = Number(params.get('page') ?? 1);
  const [subscription, deliveries] = await Promise.all([
    api(`/api/webhooks/${id}`), api(`/api/webhooks/${id}/deliveries${query({ status, page, pageSize: PAGE_SIZE })}`)]);
  const go = changes => { location.hash = `#/webhooks/${id}${query({ status, page, ...changes })}`; };
  fill(main,
    h('p', {}, h('a', { href: '#/webhooks' }, '← Webhooks')),
    h('h1', {}, 'Deliveries'),
    h('p', { class: 'muted' }, `to ${subscription.url}: ${deliveries.total} in all`),
    h('form', { class: 'filters', 'aria-label': 'Filter deliveries', on: { submit: e => {
      e.preventDefault();
      go({ status: new FormData(e.target).get('status'), page: 1 });
    } } },
      field('Status', select('status', [['', 'any'], ['pending', 'pending'], ['delivered', 'delivered'], ['failed', 'failed']], status)),
      h('button', { type: 'submit' }, 'Filter')),
    deliveries.items.length
      ? h('div', { class: 'scroll' }, h('table', { class: 'deliveries' },
          h('thead', {}, h('tr', {}, ['Created', 'Event', 'Task', 'Status', 'Attempts', ''].map(c => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, deliveries.items.map(d => row(d, main, id, params)))))
      : h('p', { class: 'empty' }, 'No deliveries.'),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      h('button', { class: 'secondary', disabled: page <= 1, on: { click: () => go({ page: page - 1 }) } }, '← Newer'),
      h('span', {}, `Page ${page}`),
      h('button', { class: 'secondary', disabled: page * PAGE_SIZE >= deliveries.total, on: { click: () => go({ page: page + 1 }) } }, 'Older →')));
}

function row(d, main, id, params) {
  return h('tr', { dataset: { deliveryId: d.id, status: d.status } },
    h('td', {}, when(d.createdAt)),
    h('td', {}, h('code', {}, d.event)),
    h('td', {}, d.taskId && d.taskId !== '00000000-0000-0000-0000-000000000000' ? h('a', { href: `#/tasks/${d.taskId}` }, d.taskId.slice(0, 8)) : '—'),
    h('td', {}, h('span', { class: `badge ${d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : ''}` }, d.status),
      d.nextAttemptAt ? h('div', { class: 'muted' }, 'next: ', when(d.nextAttemptAt)) : null,
      d.abandonedReason ? h('div', { class: 'muted' }, d.abandonedReason) : null),
    h('td', {}, h('details', {}, h('summary', {}, `${d.attemptCount} attempt${d.attemptCount === 1 ? '' : 's'}`),
      h('ol', { class: 'attempts' }, d.attempts.map(a => h('li', {},
        when(a.at), ' — ', a.succeeded ? 'succeeded' : 'failed', a.statusCode ? ` (${a.statusCode})` : '', a.error ? `: ${a.error}` : '',
        ` in ${Math.round(a.durationMs)} ms`,
        a.responseExcerpt ? h('pre', {}, a.responseExcerpt) : null,
        a.nextAttemptAt ? h('div', { class: 'muted' }, 'retry at ', when(a.nextAttemptAt)) : null))),
      h('details', {}, h('summary', {}, 'payload'), h('pre', {}, JSON.stringify(d.payload, null, 2))))),
    h('td', {}, h('button', { class: 'secondary', disabled: d.status === 'pending', on: { click: async e => {
      if (await act(e.target, () => api(`/api/webhooks/deliveries/${d.id}/redeliver`, { method: 'POST' }), 'Redelivery queued.'))
        await render(main, { id, params });
    } } }, 'Redeliver')));
}
