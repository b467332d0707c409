// SLA charts: a month's availability per day against the tier's target, and the credits paid (and left unpaid) in it,
// as SVG drawn from the report's numbers. Every bar carries its number as text too, so the chart reads without colour
// or a mouse (screen readers, tests).
import { api } from './api.js';
import { h } from './dom.js';

const W = 640, H = 180, LEFT = 44, TOP = 16, BOTTOM = 28;
const pct = x => `${(x * 100).toFixed(2)} %`;

// The tiers' promises, read once per page: { standard: 99.0, … } in percent.
let tiers;
export async function targets() {
  tiers ??= api('/api/v1/sla/tiers').then(ts => Object.fromEntries(ts.map(t => [t.name, Number(t.availabilityPercent)])))
    .catch(e => { tiers = undefined; throw e; });
  return tiers;
}

// Availability per UTC day (days with no service owed are drawn empty and labelled so) and a line at the target.
function availability(report, target) {
  const days = report.daily;
  const served = days.filter(d => d.obligatedSeconds > 0).map(d => d.availability * 100);
  // The scale starts a little below the lowest of the days and the target, so a small miss still shows.
  const floor = Math.max(0, Math.floor(Math.min(target ?? 100, ...served, 100) - 1));
  const y = v => TOP + (H - TOP - BOTTOM) * (100 - v) / (100 - floor);
  const step = Math.min(40, (W - LEFT) / Math.max(1, days.length)), bar = Math.max(2, step - 3);
  const label = `Availability per day, ${report.month}: ${served.length} days with service owed; ` +
    (target == null ? 'no tier target' : `target ${target} % (${report.tier})`);
  return h('svg', { class: 'chart availability', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label },
    h('title', {}, label),
    h('line', { class: 'axis', x1: LEFT, y1: y(100), x2: W, y2: y(100) }),
    h('text', { class: 'tick', x: LEFT - 4, y: y(100) + 3, 'text-anchor': 'end' }, '100 %'),
    h('text', { class: 'tick', x: LEFT - 4, y: y(floor) + 3, 'text-anchor': 'end' }, `${floor} %`),
    h('line', { class: 'axis', x1: LEFT, y1: y(floor), x2: W, y2: y(floor) }),
    days.map((d, i) => {
      const x = LEFT + i * step, owed = d.obligatedSeconds > 0, v = d.availability * 100;
      const met = target == null || v >= target;
      const text = owed ? pct(d.availability) : 'no service';
      return h('g', { class: `day ${owed ? (met ? 'met' : 'missed') : 'idle'}`, 'data-day': d.day },
        h('title', {}, `${d.day}: ${text}`),
        owed ? h('rect', { x, y: y(v), width: bar, height: Math.max(1, y(floor) - y(v)) }) : null,
        h('text', { class: 'value', transform: `translate(${x + bar / 2 + 3},${TOP + 2}) rotate(90)` }, text),
        h('text', { class: 'tick', x: x + bar / 2, y: H - BOTTOM + 12, 'text-anchor': 'middle' }, String(Number(d.day.slice(8)))));
    }),
    target == null ? null : h('g', { class: 'target' },
      h('line', { x1: LEFT, y1: y(target), x2: W, y2: y(target) }),
      h('text', { x: W - 2, y: y(target) - 3, 'text-anchor': 'end' }, `target ${target} %`)));
}

// Each credit paid in the month, one bar per epoch and lease: the credited tokens and, stacked on them, any unpaid part.
function credits(report) {
  const list = report.credits;
  if (list.length === 0) return h('p', { class: 'empty', id: 'sla-no-credits' }, 'No credit owed this month.');
  const most = Math.max(...list.map(c => Number(c.credited) + Number(c.unpaid)), 1e-9);
  // The tallest bar leaves room above it for its number.
  const y = v => (H - TOP - BOTTOM - 12) * v / most;
  const step = Math.min(60, (W - LEFT) / list.length), bar = Math.max(4, step - 6);
  const label = `Credits owed, ${report.month}: ${report.creditedTotal} tokens paid over ${list.length} credit${list.length > 1 ? 's' : ''}`;
  return h('svg', { class: 'chart credits', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label },
    h('title', {}, label),
    h('line', { class: 'axis', x1: LEFT, y1: H - BOTTOM, x2: W, y2: H - BOTTOM }),
    h('text', { class: 'tick', x: LEFT - 4, y: H - BOTTOM, 'text-anchor': 'end' }, 'tokens'),
    list.map((c, i) => {
      const x = LEFT + i * step, paid = y(Number(c.credited)), unpaid = y(Number(c.unpaid));
      const text = `${c.credited}${Number(c.unpaid) > 0 ? ` (+${c.unpaid} unpaid)` : ''}`;
      return h('g', { class: 'credit', 'data-lease': c.leaseId, 'data-epoch': c.epoch },
        h('title', {}, `epoch ${c.epoch}, ${c.leaseId}: ${text} tokens; ${c.reason}`),
        h('rect', { class: 'paid', x, y: H - BOTTOM - paid, width: bar, height: Math.max(1, paid) }),
        unpaid > 0 ? h('rect', { class: 'unpaid', x, y: H - BOTTOM - paid - unpaid, width: bar, height: unpaid }) : null,
        h('text', { class: 'value', x: x + bar / 2, y: Math.max(TOP, H - BOTTOM - paid - unpaid - 4), 'text-anchor': 'middle' }, text),
        h('text', { class: 'tick', x: x + bar / 2, y: H - BOTTOM + 12, 'text-anchor': 'middle' }, `epoch ${c.epoch}`));
    }));
}

// The report in words and its two charts.
export function slaCharts(report, target) {
  return h('div', { class: 'sla-report', 'data-subject': report.subject, 'data-id': report.id },
    h('p', { class: 'sla-summary' },
      `${report.subject} ${report.id}, ${report.month}: ${pct(report.availability)} available against the ${report.tier} tier` +
      `${target == null ? '' : ` (${target} %)`}: ${report.met ? 'met' : 'not met'}; ${report.windows.length} downtime window` +
      `${report.windows.length === 1 ? '' : 's'}; ${report.creditedTotal} tokens credited.`),
    h('h3', {}, 'Availability per day'), availability(report, target),
    h('h3', {}, 'Credits'), credits(report));
}
