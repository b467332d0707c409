// A host's earnings per settled epoch as a small stacked bar chart (capacity, delivery, fees; slashes below the line),
// and a wallet's unbonding and vesting schedules as tables. SVG built with createElementNS (dom.js), styled by app.css.
import { h, table, when } from './dom.js';

const parts = [['capacity', 'capacity'], ['delivery', 'delivery'], ['fees', 'fees']];
const tokens = s => Number(s ?? 0);

// Oldest epoch on the left; one bar per epoch, its parts stacked; what slashes and credits took hangs below the axis.
export function earningsChart(rows) {
  const epochs = [...rows].reverse();
  const width = 320, height = 110, axis = 80, gap = 2;
  const top = Math.max(...epochs.map(r => tokens(r.earned)), 0);
  const low = Math.max(...epochs.map(r => tokens(r.slashed) + tokens(r.credited)), 0);
  const scale = (top + low) > 0 ? (height - 10) / (top + low) : 0;
  const baseline = top + low > 0 ? 5 + top * scale : axis;
  const bar = Math.max(4, Math.min(24, (width - 20) / Math.max(epochs.length, 1) - gap));
  const bars = epochs.map((r, i) => {
    const x = 10 + i * (bar + gap);
    let y = baseline;
    const rects = parts.map(([field, cls]) => {
      const hgt = tokens(r[field]) * scale;
      y -= hgt;
      return hgt > 0 ? h('rect', { class: `bar ${cls}`, x, y, width: bar, height: hgt }) : null;
    });
    const lost = (tokens(r.slashed) + tokens(r.credited)) * scale;
    if (lost > 0) rects.push(h('rect', { class: 'bar lost', x, y: baseline, width: bar, height: lost }));
    return h('g', { class: 'epoch', 'data-epoch': r.epoch },
      h('title', {}, `epoch ${r.epoch} (to ${when(r.end)}): earned ${r.earned} (capacity ${r.capacity}, delivery ${r.delivery}, fees ${r.fees}); slashed ${r.slashed}, SLA credits ${r.credited}`),
      rects);
  });
  return h('svg', { class: 'earnings-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `earnings over the last ${epochs.length} settled epochs` },
    h('line', { class: 'axis', x1: 5, y1: baseline, x2: width - 5, y2: baseline }), bars);
}

export function earnings(rows) {
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No settled epoch has paid this host yet: rewards need it fully staked and Ready.');
  const total = rows.reduce((s, r) => s + tokens(r.earned), 0);
  return h('div', { class: 'earnings' },
    h('p', {}, `Earned ${total.toLocaleString('en', { maximumFractionDigits: 8 })} tokens in the last ${rows.length} paying epochs (vesting to this wallet).`),
    earningsChart(rows),
    h('ul', { class: 'legend' }, parts.map(([, cls]) => h('li', {}, h('span', { class: `key ${cls}` }), cls)), h('li', {}, h('span', { class: 'key lost' }), 'slashed or credited')),
    h('details', {}, h('summary', {}, 'Per epoch'),
      table(['Epoch', 'Ended', 'Capacity', 'Delivery', 'Fees', 'Earned', 'Slashed', 'SLA credits'],
        rows.map(r => [r.epoch, when(r.end), r.capacity, r.delivery, r.fees, h('strong', {}, r.earned), r.slashed, r.credited]), '')));
}

export function schedules(wallet) {
  const unbonding = wallet.unbondingSchedule ?? [];
  const vesting = wallet.vestingSchedule ?? [];
  return [
    h('h2', {}, 'Unbonding'),
    table(['Host', 'Amount', 'Unstaked', 'Available at'], unbonding.map(u => [u.host, u.amount, when(u.since), when(u.availableAt)]),
      'Nothing is unbonding: stake you unstake becomes available after the unbonding period.'),
    h('h2', {}, 'Vesting'),
    table(['Epoch', 'Amount', 'Vested now', 'From', 'Fully vested at'], vesting.map(v => [v.epoch, v.amount, v.vested, when(v.start), when(v.vestedAt)]),
      'Nothing is vesting: each settled epoch\'s fees and rewards vest linearly from its end.'),
  ];
}
