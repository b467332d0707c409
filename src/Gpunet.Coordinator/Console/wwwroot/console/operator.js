// Network operator: the ledger's invariants, audited now, every settled epoch with what moved in it, the SLA summary of
// the whole network for a month, and the SLA report on any host, customer or lease for a month, with its charts.
import { api } from './api.js';
import { h, table, when, problem } from './dom.js';
import { slaCharts, targets } from './slachart.js';

const facts = o => h('dl', { class: 'facts' }, Object.entries(o).filter(([, v]) => typeof v !== 'object' || v === null)
  .map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]));

// Choose a month and a host, customer or lease; the report (GET /sla/report) answers with its numbers and charts.
function slaForm() {
  const month = h('input', { id: 'sla-month', type: 'month', value: new Date().toISOString().slice(0, 7), required: true });
  const subject = h('select', { id: 'sla-subject' }, ['host', 'customer', 'lease'].map(s => h('option', { value: s }, s)));
  const id = h('input', { id: 'sla-id', type: 'text', size: 44, placeholder: 'host-…, 0x… or lease-…', required: true, autocomplete: 'off' });
  const out = h('div', { id: 'sla-out' });
  return h('form', {
    class: 'card sla-form',
    onsubmit: async e => {
      e.preventDefault();
      out.replaceChildren(h('p', { class: 'muted' }, 'Reading the report…'));
      try {
        const q = `${subject.value}=${encodeURIComponent(id.value.trim())}&month=${encodeURIComponent(month.value)}`;
        const [report, target] = await Promise.all([api(`/api/v1/sla/report?${q}`), targets()]);
        out.replaceChildren(slaCharts(report, target[report.tier]));
      } catch (err) {
        out.replaceChildren(problem(err));
      }
    },
  },
  h('label', { for: 'sla-month' }, 'Month '), month, ' ',
  h('label', { for: 'sla-subject' }, 'Report on '), subject, ' ', id, ' ',
  h('button', { type: 'submit', id: 'sla-show' }, 'Show'), out);
}

const hours = s => `${(s / 3600).toFixed(s < 36000 ? 2 : 1)} h`;

function summaryOf(s) {
  return [h('div', { class: 'stats', id: 'sla-summary-stats' }, ...[['leases owed credit', s.leasesOwedCredit], ['credits owed', s.creditsOwed], ['credits paid', s.creditsPaid],
    ['credits unpaid', s.creditsUnpaid], ['hosts offline', s.hostsWithDowntime], ['hosts over SLO', s.hostsOverSlo]]
    .map(([k, v]) => h('div', { class: 'stat', 'data-figure': k }, h('span', { class: 'value' }, v), h('span', { class: 'label' }, k)))),
  h('p', { class: 'muted' }, `${s.month} (${when(s.from)} to ${when(s.to)}), ${s.epochsSettled} epochs settled. Credits in tokens; ${s.customersOwedCredit} customers are owed them by ${s.hostsOwingCredit} hosts, ` +
    `for ${hours(s.leaseDowntimeSeconds)} of downtime. A host is over its SLO allowance after a day offline ${hours(s.dailyLimitSeconds)} or more, or ${hours(s.monthlyAllowanceSeconds)} in the month.`),
  table(['Host', 'Operator', 'Offline', 'Days over the limit', 'Worst day', 'Over the month\'s allowance'],
    s.worstHosts.map(w => [w.hostId, w.operator, hours(w.offlineSeconds), w.daysOverLimit, hours(w.worstDaySeconds), w.overMonthlyAllowance ? 'yes' : 'no']),
    'No host is over its SLO allowance this month.')];
}

// The whole network's month (GET /sla/summary), counted from what settlement stored.
function summaryForm() {
  const month = h('input', { id: 'sla-summary-month', type: 'month', value: new Date().toISOString().slice(0, 7), required: true });
  const out = h('div', { id: 'sla-summary' });
  const show = async () => {
    out.replaceChildren(h('p', { class: 'muted' }, 'Counting…'));
    try {
      out.replaceChildren(...summaryOf(await api(`/api/v1/sla/summary?month=${encodeURIComponent(month.value)}`)));
    } catch (err) {
      out.replaceChildren(problem(err));
    }
  };
  show();
  return h('form', { class: 'card sla-form', onsubmit: e => { e.preventDefault(); show(); } },
    h('label', { for: 'sla-summary-month' }, 'Month '), month, ' ', h('button', { type: 'submit', id: 'sla-summary-show' }, 'Show'), out);
}

export async function render(main) {
  const [audit, epochs] = await Promise.all([api('/api/v1/ledger/verify'), api('/api/v1/epochs?limit=50')]);
  main.replaceChildren(h('section', {},
    h('h1', {}, 'Network operator'),
    h('h2', {}, 'Ledger'),
    h('div', { class: 'card', id: 'ledger-audit' }, facts(audit)),
    h('h2', {}, 'Settled epochs'),
    table(['Epoch', 'From', 'To', 'Settled', 'Transfers', 'Totals (tokens)'],
      epochs.map(e => [e.epoch, when(e.start), when(e.end), when(e.settledAt), e.transfers,
        Object.entries(e.totals ?? {}).map(([k, v]) => `${k} ${v}`).join(' · ')]),
      'No epoch has been settled yet.'),
    h('h2', {}, 'SLA this month, the whole network'),
    summaryForm(),
    h('h2', {}, 'SLA reports'),
    slaForm()));
}
