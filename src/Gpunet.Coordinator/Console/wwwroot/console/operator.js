// Network operator: the ledger's invariants, audited now, every settled epoch with what moved in it, and the SLA report
// on any host, customer or lease for a month, with its charts.
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
    h('h2', {}, 'SLA reports'),
    slaForm()));
}
