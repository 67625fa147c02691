// Repositories: connect one, its default branch, and its Slack notifications (with a test message first).
import { api, act } from '../api.js';
import { h, fill, link, field, confirmAction } from '../dom.js';

export async function render(main) {
  const repos = await api('/api/repos');
  fill(main,
    h('h1', {}, 'Repositories'),
    repos.length ? h('div', { class: 'cards repos' }, repos.map(r => repoCard(r, main))) : h('p', { class: 'empty' }, 'No repository connected yet.'),
    h('h2', {}, 'Connect a repository'),
    h('form', { class: 'form', 'aria-label': 'Connect a repository', on: { submit: async e => {
      e.preventDefault();
      const data = new FormData(e.target);
      const body = { url: String(data.get('url')).trim(), defaultBranch: String(data.get('defaultBranch')).trim() || null };
      if (await act(e.submitter, () => api('/api/repos', { method: 'POST', body }), 'Repository connected.')) await render(main);
    } } },
      field('Repository URL', h('input', { name: 'url', type: 'url', required: true, placeholder: 'https://github.com/owner/repo' }), null),
      field('Default branch', h('input', { name: 'defaultBranch', placeholder: 'main' })),
      h('button', { type: 'submit' }, 'Connect')));
}

function repoCard(repo, main) {
  const slackUrl = h('input', { name: 'slackWebhookUrl', type: 'url', autocomplete: 'off',
    placeholder: repo.slackWebhookConfigured ? 'configured (type a new one to replace it)' : 'https://hooks.slack.com/services/…' });
  const result = h('p', { class: 'muted', 'aria-live': 'polite' });
  return h('article', { class: 'card repo', dataset: { repoId: repo.id } },
    h('h2', {}, link(repo.url, `${repo.owner}/${repo.name}`)),
    h('form', { 'aria-label': `Settings of ${repo.owner}/${repo.name}`, on: { submit: async e => {
      e.preventDefault();
      const data = new FormData(e.target);
      const body = { defaultBranch: String(data.get('defaultBranch')).trim(), slackEnabled: data.get('slackEnabled') === 'on' };
      if (slackUrl.value.trim()) body.slackWebhookUrl = slackUrl.value.trim();
      if (await act(e.submitter, () => api(`/api/repos/${repo.id}`, { method: 'PATCH', body }), 'Repository saved.')) await render(main);
    } } },
      field('Default branch', h('input', { name: 'defaultBranch', value: repo.defaultBranch, required: true })),
      h('div', { class: 'field check' },
        h('input', { id: `slack-${repo.id}`, name: 'slackEnabled', type: 'checkbox', checked: repo.slackEnabled }),
        h('label', { for: `slack-${repo.id}` }, 'Slack notifications')),
      field('Slack incoming webhook URL', slackUrl),
      h('div', { class: 'row' },
        h('button', { type: 'submit' }, 'Save'),
        h('button', { type: 'button', class: 'secondary', on: { click: async e => {
          if (!slackUrl.value.trim()) { result.textContent = 'Type the Slack URL to test (a stored one is never shown).'; return; }
          const answer = await act(e.target, () => api('/api/slack/test', { method: 'POST', body: { webhookUrl: slackUrl.value.trim() } }));
          if (answer) result.textContent = answer.ok ? `Slack answered ${answer.statusCode}: ${answer.response ?? 'ok'}` : `Slack refused it: ${answer.error ?? answer.response ?? answer.statusCode}`;
        } } }, 'Test Slack'),
        h('button', { type: 'button', class: 'danger', on: { click: async e => {
          if (!await confirmAction(`Disconnect ${repo.owner}/${repo.name}? Its tasks stay.`, 'Disconnect')) return;
          if (await act(e.target, () => api(`/api/repos/${repo.id}`, { method: 'DELETE' }), 'Repository disconnected.') !== undefined) await render(main);
        } } }, 'Disconnect'))),
    result);
}
