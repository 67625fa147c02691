// Ticket providers: add (GitHub or Linear, with Linear's teams, projects and labels to pick from), sync now,
// enable or disable, delete; and how each one's last sync went.
import { api, act } from '../api.js';
import { h, fill, when, field, select, confirmAction, notify } from '../dom.js';

export async function render(main) {
  const [providers, repos] = await Promise.all([api('/api/tickets/providers'), api('/api/repos')]);
  const list = h('div', { class: 'cards providers' }, providers.map(p => providerCard(p, main)));
  fill(main,
    h('h1', {}, 'Ticket providers'),
    h('div', { class: 'row' },
      h('button', { on: { click: e => syncNow(e.target, main) } }, 'Sync now'),
      h('span', { class: 'muted' }, 'Syncs every enabled provider now (they also sync on their schedule).')),
    providers.length ? list : h('p', { class: 'empty' }, 'No ticket provider yet.'),
    h('h2', {}, 'Add a provider'),
    addForm(repos, main));
}

async function syncNow(button, main) {
  const requested = await act(button, () => api('/api/tickets/sync', { method: 'POST' }));
  if (!requested) return;
  notify(`Sync queued for ${requested.providers.length} provider(s).`);
  await waitForSync(requested.requestedAt, requested.providers.map(p => p.id));
  await render(main);
}

/** Polls the providers until each named one has finished a sync that started after the request. */
async function waitForSync(since, ids) {
  for (let i = 0; i < 40; i++) {
    const providers = await api('/api/tickets/providers');
    const done = ids.every(id => {
      const finished = providers.find(p => p.id === id)?.status.lastSyncFinishedAt;
      return finished && new Date(finished) >= new Date(since);
    });
    if (done) return;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

function providerCard(p, main) {
  const st = p.status;
  const c = p.config;
  const toggle = h('input', { id: `enabled-${p.id}`, type: 'checkbox', checked: p.enabled, on: { change: async e => {
    const saved = await act(null, () => api(`/api/tickets/providers/${p.id}`, { method: 'PATCH', body: { enabled: e.target.checked } }),
      x => `Provider ${x.enabled ? 'enabled' : 'disabled'}.`);
    if (!saved) e.target.checked = !e.target.checked;
  } } });
  const counts = st.lastRun;
  return h('article', { class: 'card provider', dataset: { providerId: p.id, source: p.source } },
    h('div', { class: 'row' }, h('h2', {}, p.source === 'github' ? 'GitHub Issues' : 'Linear'),
      h('span', { class: `badge ${st.outcome === 'succeeded' ? 'ok' : st.outcome ? 'bad' : ''}` }, st.outcome ?? 'not synced yet')),
    h('dl', { class: 'details' },
      p.source === 'github'
        ? [h('dt', {}, 'Repositories'), h('dd', {}, c.repos.join(', ')), h('dt', {}, 'Labels (any)'), h('dd', {}, c.labels.join(', ')),
           h('dt', {}, 'Assignee'), h('dd', {}, c.assignee ?? 'anyone')]
        : [h('dt', {}, 'Team'), h('dd', {}, c.teamId ?? 'all'), h('dt', {}, 'Project'), h('dd', {}, c.projectId ?? 'any'),
           h('dt', {}, 'Label'), h('dd', {}, c.label), h('dt', {}, 'Key secret'), h('dd', {}, c.apiKeySecret)],
      h('dt', {}, 'Last sync'), h('dd', { class: 'last-sync' }, when(st.lastSyncFinishedAt)),
      h('dt', {}, 'Last run'), h('dd', { class: 'counts' },
        `${counts.ticketsSeen} seen, ${counts.imported} imported, ${counts.updated} updated, ${counts.skippedAsDuplicates} duplicates, ${counts.cancelled} cancelled`),
      st.rateLimitedUntil ? [h('dt', {}, 'Rate limited until'), h('dd', {}, when(st.rateLimitedUntil))] : null,
      st.lastError ? [h('dt', {}, 'Last error'), h('dd', { class: 'last-error' },
        h('span', {}, st.lastError.message), ' ', h('span', { class: 'muted' }, st.lastError.errorCode ? `(${st.lastError.errorCode}) ` : ''), when(st.lastError.at),
        st.consecutiveFailures ? h('div', { class: 'muted' }, `${st.consecutiveFailures} failure(s) in a row`) : null)] : null),
    h('div', { class: 'row' },
      h('div', { class: 'field check' }, toggle, h('label', { for: toggle.id }, 'Enabled')),
      h('button', { class: 'danger', on: { click: async e => {
        if (!await confirmAction(`Delete this ${p.source} provider? Its tasks stay; it stops syncing.`, 'Delete')) return;
        if (await act(e.target, () => api(`/api/tickets/providers/${p.id}`, { method: 'DELETE' }), 'Provider deleted.') !== undefined) await render(main);
      } } }, 'Delete')));
}

function addForm(repos, main) {
  const source = select('source', [['github', 'GitHub Issues'], ['linear', 'Linear']], 'github');
  const apiUrl = h('input', { name: 'apiUrl', type: 'url', placeholder: 'the provider\'s own' });
  const endpoint = () => apiUrl.value.trim() || null;
  const github = h('div', { class: 'filters' },
    field('Repositories', h('textarea', { name: 'repos', rows: 2, placeholder: 'owner/repo, one per line' }),
      repos.length ? `Connected: ${repos.map(r => `${r.owner}/${r.name}`).join(', ')}` : 'owner/repo or its URL'),
    field('Labels', h('input', { name: 'labels', value: 'optio' }), 'comma-separated; an issue needs any of them'),
    field('Assignee', h('input', { name: 'assignee', placeholder: 'anyone' })));
  const teams = { list: [] };
  const team = select('teamId', [['', 'discover first']], '');
  const project = select('projectId', [['', 'any project']], '');
  const label = h('input', { name: 'label', value: 'optio', list: 'linear-labels' });
  const labels = h('datalist', { id: 'linear-labels' });
  const apiKey = h('input', { name: 'apiKey', type: 'password', autocomplete: 'off' });
  const onTeam = () => {
    const chosen = teams.list.find(t => t.id === team.value);
    fill(project, h('option', { value: '' }, 'any project'), (chosen?.projects ?? []).map(p => h('option', { value: p.id }, p.name)));
    fill(labels, (chosen?.labels ?? []).map(l => h('option', { value: l.name })));
  };
  team.addEventListener('change', onTeam);
  const linear = h('div', { class: 'filters', hidden: true },
    field('Linear API key', apiKey, 'stored as an encrypted secret'),
    h('button', { type: 'button', class: 'secondary', on: { click: async e => {
      const found = await act(e.target, () => api('/api/tickets/linear/discover', { method: 'POST', body: { apiKey: apiKey.value.trim(), apiUrl: endpoint() } }));
      if (!found) return;
      teams.list = found.teams;
      fill(team, h('option', { value: '' }, 'all teams'), found.teams.map(t => h('option', { value: t.id }, `${t.name} (${t.key})`)));
      onTeam();
    } } }, 'Discover teams'),
    field('Team', team), field('Project', project), field('Label', label), labels);
  source.addEventListener('change', () => { github.hidden = source.value !== 'github'; linear.hidden = source.value !== 'linear'; });

  return h('form', { class: 'form add-provider', 'aria-label': 'Add a provider', on: { submit: async e => {
    e.preventDefault();
    const data = new FormData(e.target);
    const list = value => String(value ?? '').split(/[\n,]/).map(x => x.trim()).filter(Boolean);
    const config = source.value === 'github'
      ? { repos: list(data.get('repos')), labels: list(data.get('labels')), assignee: String(data.get('assignee') ?? '').trim() || null }
      : { apiKey: apiKey.value.trim(), teamId: team.value || null, projectId: project.value || null, label: label.value.trim() || 'optio' };
    const saved = await act(e.submitter, () => api('/api/tickets/providers', { method: 'POST', body: { source: source.value, config, enabled: true, apiUrl: endpoint() } }),
      'Provider saved: its first sync runs now.');
    if (saved) {
      await waitForSync(saved.createdAt, [saved.id]);
      await render(main);
    }
  } } },
    field('Source', source),
    field('API URL', apiUrl, 'only for GitHub Enterprise (https://host/api/v3/) or another Linear endpoint'),
    github, linear,
    h('button', { type: 'submit' }, 'Save'));
}
