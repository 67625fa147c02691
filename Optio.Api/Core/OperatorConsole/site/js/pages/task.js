// One task: what it is now (or was, at the version the slider picks), its ticket and PR, and its timeline.
import { api } from '../api.js';
import { h, fill, badge, when, link } from '../dom.js';
import { onTaskChange } from '../live.js';

export async function render(main, { id }) {
  await load(main, id);
  let loading = false;
  return onTaskChange(async change => {
    if ((change.taskId !== id && !change.resync) || loading) return;
    loading = true;
    try { await load(main, id); } finally { loading = false; }
  });
}

async function load(main, id) {
  const [task, events] = await Promise.all([api(`/api/tasks/${id}`), api(`/api/tasks/${id}/events`)]);
  const details = h('section', { class: 'card', 'aria-live': 'polite' });
  const slider = h('input', { id: 'version', type: 'range', min: 1, max: task.version, value: task.version, step: 1 });
  const sliderLabel = h('output', { for: 'version', id: 'version-shown' });
  const timeline = h('tbody');

  const showVersion = async version => {
    sliderLabel.textContent = version === task.version ? `version ${version} (now)` : `version ${version} of ${task.version}`;
    const shown = version === task.version ? task : await api(`/api/tasks/${id}?version=${version}`);
    fill(details, describe(shown, version !== task.version));
    for (const row of timeline.children) row.classList.toggle('current', Number(row.dataset.version) === version);
  };
  slider.addEventListener('input', () => showVersion(Number(slider.value)));

  for (const e of events) timeline.append(eventRow(e));

  fill(main,
    h('p', {}, h('a', { href: '#/tasks' }, '← Tasks')),
    h('h1', {}, task.title),
    h('div', { class: 'slider card' },
      h('label', { for: 'version' }, 'Show the task as it was at'), slider, sliderLabel),
    details,
    h('h2', {}, 'Timeline'),
    h('div', { class: 'scroll' }, h('table', { class: 'timeline' },
      h('thead', {}, h('tr', {}, ['Time', 'Version', 'Event', 'Actor and cause', 'Data'].map(c => h('th', { scope: 'col' }, c)))),
      timeline)));
  await showVersion(task.version);
}

function describe(task, past) {
  const t = task.ticket;
  const rows = [
    ['State', h('span', {}, badge(task.state), past ? h('span', { class: 'muted' }, ' (then)') : null)],
    ['Version', String(task.version)],
    ['Id', h('code', {}, task.id)],
    ['Source', task.source],
    ['Repository', task.repoUrl ? link(task.repoUrl) : '—'],
    ['Pull request', task.prUrl ? link(task.prUrl) : '—'],
    ['Runner', task.runnerId ?? '—'],
    ['Lease until', when(task.leaseExpiresAt)],
    ['Reason', task.reason ?? '—'],
    ['Priority', task.priority ? String(task.priority) : '—'],
    ['Created', when(task.createdAt)],
    ['Updated', when(task.updatedAt)],
  ];
  if (t) {
    rows.push(
      ['Ticket', link(t.url, t.identifier) ?? t.identifier],
      ['Ticket key', h('code', {}, t.key)],
      ['Labels', t.labels?.length ? h('span', {}, t.labels.map(l => h('span', { class: 'label' }, l))) : '—'],
      ['Assignee', t.assignee ?? '—'],
      ...[['Team', t.team], ['Project', t.project], ['Milestone', t.milestone], ['Agent', t.agentType]].filter(([, v]) => v));
  }
  if (task.blockedBy?.length) rows.push(['Blocked by', h('span', {}, task.blockedBy.map(b => link(b.url, b.identifier)))]);
  return [
    h('dl', { class: 'details' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h2', {}, 'Prompt'),
    h('pre', { class: 'prompt' }, task.prompt || '—'),
  ];
}

function eventRow(e) {
  return h('tr', { dataset: { version: e.version } },
    h('td', {}, when(e.timestamp)),
    h('td', {}, String(e.version)),
    h('td', {}, h('code', {}, e.type)),
    h('td', {}, h('div', {}, e.actor ?? '—'), h('div', { class: 'muted' }, e.cause ?? '')),
    h('td', {}, h('details', {}, h('summary', {}, 'data'), h('pre', {}, JSON.stringify(e.data, null, 2)))));
}
