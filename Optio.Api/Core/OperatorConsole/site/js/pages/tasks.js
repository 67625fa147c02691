// Tasks: the list, filtered and paged, rows updated live from /ws/events; retry and cancel.
import { api, act, query } from '../api.js';
import { h, fill, badge, when, link, field, select, confirmAction } from '../dom.js';
import { onTaskChange } from '../live.js';

export const STATES = ['queued', 'provisioning', 'running', 'pr_opened', 'needs_attention', 'completed', 'failed', 'cancelled'];
const RETRYABLE = ['failed', 'cancelled'];
const CANCELLABLE = ['queued', 'provisioning', 'running', 'pr_opened', 'needs_attention'];
const PAGE_SIZE = 25;

export async function render(main, { params }) {
  const filters = {
    state: params.get('state') ?? '', source: params.get('source') ?? '', repo: params.get('repo') ?? '',
    page: Number(params.get('page') ?? 1),
  };
  const list = await api(`/api/tasks${query({ ...filters, pageSize: PAGE_SIZE })}`);
  const body = h('tbody');
  const rows = new Map();
  for (const task of list.items) {
    const row = taskRow(task);
    rows.set(task.id, row);
    body.append(row);
  }

  const go = changes => { location.hash = `#/tasks${query({ ...filters, ...changes })}`; };
  const form = h('form', { class: 'filters', 'aria-label': 'Filter tasks', on: { submit: event => {
    event.preventDefault();
    const data = new FormData(event.target);
    go({ state: data.get('state'), source: data.get('source'), repo: data.get('repo').trim(), page: 1 });
  } } },
    field('State', select('state', [['', 'any'], ...STATES.map(s => [s, s.replace('_', ' ')])], filters.state)),
    field('Source', select('source', [['', 'any'], ['manual', 'manual'], ['github', 'GitHub'], ['linear', 'Linear']], filters.source)),
    field('Repository', h('input', { name: 'repo', value: filters.repo, placeholder: 'owner/repo or URL' })),
    h('button', { type: 'submit' }, 'Filter'));

  fill(main,
    h('h1', {}, 'Tasks'), form,
    list.items.length
      ? h('div', { class: 'scroll' }, h('table', { class: 'tasks' },
          h('thead', {}, h('tr', {}, ['Title', 'State', 'Source', 'Repository', 'Pull request', 'Updated', 'Actions'].map(c => h('th', { scope: 'col' }, c)))),
          body))
      : h('p', { class: 'empty' }, 'No tasks match.'),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      h('button', { class: 'secondary', disabled: filters.page <= 1, on: { click: () => go({ page: filters.page - 1 }) } }, '← Newer'),
      h('span', {}, `Page ${filters.page}`),
      h('button', { class: 'secondary', disabled: !list.hasMore, on: { click: () => go({ page: filters.page + 1 }) } }, 'Older →')));

  return onTaskChange(async change => {
    if (change.resync) {
      const fresh = await api(`/api/tasks${query({ ...filters, pageSize: PAGE_SIZE })}`);
      for (const task of fresh.items)
        if (rows.has(task.id)) updateRow(rows.get(task.id), { state: task.state, timestamp: task.updatedAt, prUrl: task.prUrl });
      return;
    }
    const row = rows.get(change.taskId);
    if (row) {
      if (filters.state && change.state !== filters.state) { row.classList.add('left-filter'); }
      updateRow(row, change);
    } else if (filters.page === 1 && (!filters.state || change.state === filters.state) && !filters.source && !filters.repo && change.version <= 2) {
      const fresh = taskRow({ id: change.taskId, title: change.title, state: change.state, source: '', repoUrl: change.repoUrl, prUrl: change.prUrl, updatedAt: change.timestamp });
      rows.set(change.taskId, fresh);
      body.prepend(fresh);
    }
  });
}

function taskRow(task) {
  const row = h('tr', { dataset: { taskId: task.id } },
    h('td', {}, h('a', { href: `#/tasks/${task.id}` }, task.title)),
    h('td', { class: 'state' }, badge(task.state)),
    h('td', {}, task.source),
    h('td', { class: 'repo' }, task.repoUrl ? link(task.repoUrl, task.repoUrl.replace(/^https?:\/\/[^/]+\//, '')) : '—'),
    h('td', { class: 'pr' }, task.prUrl ? link(task.prUrl, 'PR') : '—'),
    h('td', { class: 'updated' }, when(task.updatedAt)),
    h('td', { class: 'actions' }));
  row.dataset.state = task.state;
  actions(row);
  return row;
}

function updateRow(row, change) {
  const moved = row.dataset.state !== change.state;
  row.dataset.state = change.state;
  fill(row.querySelector('.state'), badge(change.state));
  fill(row.querySelector('.updated'), when(change.timestamp));
  if (change.prUrl) fill(row.querySelector('.pr'), link(change.prUrl, 'PR'));
  actions(row);
  if (!moved) return;
  row.classList.remove('flash-row');
  void row.offsetWidth; // restart the highlight
  row.classList.add('flash-row');
}

function actions(row) {
  const { taskId, state } = row.dataset;
  const title = row.querySelector('a')?.textContent ?? taskId;
  const cell = row.querySelector('.actions');
  fill(cell,
    RETRYABLE.includes(state) ? h('button', { class: 'secondary', on: { click: async e => {
      if (await confirmAction(`Retry “${title}”? It goes back to the queue.`, 'Retry'))
        await act(e.target, () => api(`/api/tasks/${taskId}/retry`, { method: 'POST', body: {} }), 'Task queued again.');
    } } }, 'Retry') : null,
    CANCELLABLE.includes(state) ? h('button', { class: 'danger', on: { click: async e => {
      if (await confirmAction(`Cancel “${title}”?`, 'Cancel task'))
        await act(e.target, () => api(`/api/tasks/${taskId}/cancel`, { method: 'POST', body: { reason: 'cancelled in the console' } }), 'Task cancelled.');
    } } }, 'Cancel') : null);
}
