// Issues: open GitHub issues of the connected repositories as cards, those without a task first;
// Assign to Optio makes one a task (assigning twice answers the task it already has).
import { api, act, query } from '../api.js';
import { h, fill, badge, link, field, select } from '../dom.js';

const PAGE_SIZE = 60;

export async function render(main, { params }) {
  const repo = params.get('repo') ?? '';
  const page = Number(params.get('page') ?? 1);
  const repos = await api('/api/repos');
  const go = changes => { location.hash = `#/issues${query({ repo, page, ...changes })}`; };
  const filter = h('form', { class: 'filters', 'aria-label': 'Filter issues', on: { submit: e => {
    e.preventDefault();
    go({ repo: new FormData(e.target).get('repo'), page: 1 });
  } } },
    field('Repository', select('repo', [['', 'all connected'], ...repos.map(r => [`${r.owner}/${r.name}`, `${r.owner}/${r.name}`])], repo)),
    h('button', { type: 'submit' }, 'Show'));

  if (!repos.length) {
    fill(main, h('h1', {}, 'Issues'), h('p', { class: 'empty' }, 'No repository is connected: ', h('a', { href: '#/repos' }, 'connect one'), '.'));
    return;
  }
  let issues;
  try {
    issues = await api(`/api/issues${query({ repo, page, pageSize: PAGE_SIZE })}`);
  } catch (error) {
    // GitHub's answer for one repository (gone, no access) should not hide the page: say it, keep the filter.
    fill(main, h('h1', {}, 'Issues'), filter, h('div', { class: 'note error', role: 'alert' }, error.message));
    return;
  }
  const repoIds = new Map(repos.map(r => [r.url, r.id]));
  fill(main,
    h('h1', {}, 'Issues'), filter,
    h('p', { class: 'muted' }, `${issues.total} open issue${issues.total === 1 ? '' : 's'}, those without a task first.`),
    issues.items.length
      ? h('div', { class: 'cards issues' }, issues.items.map(issue => card(issue, repoIds.get(issue.repoUrl))))
      : h('p', { class: 'empty' }, 'No open issues.'),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      h('button', { class: 'secondary', disabled: page <= 1, on: { click: () => go({ page: page - 1 }) } }, '← Previous'),
      h('span', {}, `Page ${page}`),
      h('button', { class: 'secondary', disabled: page * PAGE_SIZE >= issues.total, on: { click: () => go({ page: page + 1 }) } }, 'Next →')));
}

function card(issue, repoId) {
  const status = h('div', { class: 'row status' });
  const showTask = (taskId, state) => fill(status, badge(state), h('a', { href: `#/tasks/${taskId}` }, 'Open task'));
  if (issue.taskId) {
    showTask(issue.taskId, issue.taskState);
  } else {
    fill(status, badge(null), h('button', { on: { click: async e => {
      const task = await act(e.target, () => api('/api/issues/assign', { method: 'POST', body: { issueNumber: issue.number, repoId } }),
        t => `“${t.title}” is now a task (${t.state}).`);
      if (task) showTask(task.id, task.state);
    } } }, 'Assign to Optio'));
  }
  return h('article', { class: 'card issue', dataset: { issue: `${issue.repo}#${issue.number}` } },
    h('h2', { class: 'issue-title' }, link(issue.url, issue.title)),
    h('span', { class: 'muted' }, `${issue.repo}#${issue.number}`),
    issue.labels.length ? h('div', {}, issue.labels.map(l => h('span', { class: 'label' }, l))) : null,
    status);
}
