// Safe element building: text is always set as text, never parsed as HTML, so ticket titles and
// upstream answers cannot inject markup. Attributes that run code or style inline are refused.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (name === 'text') {
      node.textContent = String(value);
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (name === 'style' || name.startsWith('on')) {
      throw new Error(`refusing attribute ${name}`);
    } else if (name === 'value' || name === 'checked' || name === 'selected') {
      node[name] = value;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element: h('a', {href, class: 'x'}, 'text', otherNode). */
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);

/** An SVG element, for the hand-drawn charts. */
export const s = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

/** Replaces what a node holds. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A link only for http(s) URLs: anything else (javascript:, data:) is shown as text. */
export function link(url, text, attrs = {}) {
  if (!url) return null;
  let safe = null;
  try {
    const parsed = new URL(url, location.href);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') safe = parsed.href;
  } catch { /* not a URL */ }
  return safe ? h('a', { href: safe, rel: 'noopener noreferrer', target: '_blank', ...attrs }, text ?? url) : h('span', {}, text ?? url);
}

/** A task state as a coloured badge (the colour comes from the stylesheet, by state). */
export const badge = state => state
  ? h('span', { class: `badge state-${state}`, dataset: { state } }, state.replace('_', ' '))
  : h('span', { class: 'badge state-none' }, 'no task');

/** A moment, shown in the reader's time zone, with the exact value in the datetime attribute. */
export function when(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  return h('time', { datetime: iso, title: iso }, date.toLocaleString());
}

/** A labelled control: the label names it for screen readers and makes it clickable. */
export function field(label, control, hint) {
  const id = control.id || (control.id = `f-${Math.random().toString(36).slice(2, 9)}`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', { class: 'muted' }, hint) : null);
}

/** A select of options [value, label]. */
export const select = (name, options, value) =>
  h('select', { name }, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));

/** Asks before something that cannot be undone; resolves true when confirmed. Keyboard: Esc cancels. */
export function confirmAction(message, action = 'Confirm') {
  return new Promise(resolve => {
    const dialog = h('dialog', { class: 'confirm', 'aria-label': 'Confirm' },
      h('p', {}, message),
      h('form', { method: 'dialog', class: 'row' },
        h('button', { value: 'cancel', class: 'secondary' }, 'Back'),
        h('button', { value: 'ok', class: 'danger' }, action)));
    dialog.addEventListener('close', () => { resolve(dialog.returnValue === 'ok'); dialog.remove(); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A message in the page's status area: errors as alerts, the rest politely. */
export function notify(message, kind = 'info') {
  const area = document.getElementById('flash');
  const note = h('div', { class: `note ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message,
    h('button', { class: 'link', 'aria-label': 'Dismiss', on: { click: () => note.remove() } }, '×'));
  area.append(note);
  if (kind !== 'error') setTimeout(() => note.remove(), 6000);
}
