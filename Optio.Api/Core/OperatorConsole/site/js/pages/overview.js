// Overview: tasks by state, deliveries of the last 24 h, and the ticket providers' health, at a glance.
import { api } from '../api.js';
import { h, s, fill, when } from '../dom.js';

export async function render(main) {
  const [tasks, deliveries, providers] = await Promise.all([
    api('/api/tasks/stats'), api('/api/webhooks/deliveries/stats?hours=24'), api('/api/tickets/providers')]);
  fill(main,
    h('h1', {}, 'Overview'),
    h('div', { class: 'charts' },
      h('section', { class: 'card', 'aria-labelledby': 'tasks-chart' },
        h('h2', { id: 'tasks-chart' }, `Tasks by state (${tasks.total})`),
        stateChart(tasks.byState)),
      h('section', { class: 'card', 'aria-labelledby': 'deliveries-chart' },
        h('h2', { id: 'deliveries-chart' }, 'Deliveries, last 24 h'),
        h('p', { class: 'legend' },
          h('span', {}, h('span', { class: 'swatch delivered' }), `${deliveries.delivered} delivered`),
          h('span', {}, h('span', { class: 'swatch failed' }), `${deliveries.failed} failed`),
          h('span', { class: 'muted' }, `${deliveries.pending} pending`)),
        deliveryChart(deliveries.hours))),
    h('h2', {}, 'Ticket providers'),
    providers.length
      ? h('div', { class: 'cards' }, providers.map(providerHealth))
      : h('p', { class: 'empty' }, 'No ticket provider yet: ', h('a', { href: '#/providers' }, 'add one'), '.'));
}

/** Horizontal bars, one per state, labelled with the count. */
function stateChart(byState) {
  const entries = Object.entries(byState);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const rowHeight = 22, labelWidth = 120, width = 360;
  return s('svg', { class: 'chart', viewBox: `0 0 ${width} ${entries.length * rowHeight}`, role: 'img',
    'aria-label': entries.map(([state, n]) => `${state}: ${n}`).join(', ') },
    entries.map(([state, n], i) => s('g', { transform: `translate(0 ${i * rowHeight})` },
      s('text', { x: labelWidth - 6, y: 15, 'text-anchor': 'end' }, state.replace('_', ' ')),
      s('rect', { class: 'bar-state', x: labelWidth, y: 4, height: 14, width: Math.max(n ? 2 : 0, (width - labelWidth - 40) * n / max) }),
      s('text', { x: labelWidth + 4 + (width - labelWidth - 40) * n / max, y: 15 }, String(n)))));
}

/** One column per hour: delivered stacked under failed. */
function deliveryChart(hours) {
  const max = Math.max(1, ...hours.map(x => x.delivered + x.failed));
  const width = 360, height = 120, base = 100, step = width / hours.length;
  return s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `Per hour, delivered and failed deliveries; busiest hour ${max}` },
    s('line', { x1: 0, x2: width, y1: base, y2: base, stroke: '#c5ccd6' }),
    hours.map((x, i) => {
      const ok = base * 0.9 * x.delivered / max, bad = base * 0.9 * x.failed / max;
      const label = `${new Date(x.hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${x.delivered} delivered, ${x.failed} failed`;
      return s('g', {},
        s('title', {}, label),
        s('rect', { class: 'bar-delivered', x: i * step + 1, width: step - 2, y: base - ok, height: ok }),
        s('rect', { class: 'bar-failed', x: i * step + 1, width: step - 2, y: base - ok - bad, height: bad }));
    }),
    s('text', { x: 0, y: height - 4 }, '24 h ago'),
    s('text', { x: width, y: height - 4, 'text-anchor': 'end' }, 'now'));
}

function providerHealth(p) {
  const st = p.status;
  const healthy = st.outcome === 'succeeded';
  const scope = p.source === 'github' ? (p.config.repos ?? []).join(', ') : (p.config.teamId ?? 'Linear');
  return h('article', { class: 'card' },
    h('div', { class: 'row' }, h('strong', {}, p.source === 'github' ? 'GitHub' : 'Linear'),
      h('span', { class: `badge ${healthy ? 'ok' : st.outcome ? 'bad' : ''}` }, p.enabled ? (st.outcome ?? 'not synced yet') : 'disabled')),
    h('span', { class: 'muted' }, scope),
    h('span', {}, 'Last sync: ', when(st.lastSyncFinishedAt)),
    st.lastError && !healthy ? h('span', { class: 'note error' }, st.lastError.message) : null);
}
