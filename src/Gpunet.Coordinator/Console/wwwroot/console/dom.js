// Builds DOM nodes from data without ever parsing it as HTML: every string becomes a text node.
export function h(tag, attrs = {}, ...children) {
  const svg = ['svg', 'g', 'circle', 'line', 'path', 'text', 'rect', 'title'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function table(headings, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('table', {}, h('thead', {}, h('tr', {}, headings.map(x => h('th', {}, x)))),
    h('tbody', {}, rows.map(r => h('tr', {}, r.map(c => h('td', {}, c))))));
}

export const number = n => new Intl.NumberFormat('en').format(n);
export const price = p => (p === null || p === undefined) ? '–' : `$${Number(p).toFixed(2)}`;
export const when = t => t ? new Date(t).toLocaleString() : '–';

export function problem(e) {
  return h('p', { class: 'error', role: 'alert' }, e?.message ?? String(e));
}
