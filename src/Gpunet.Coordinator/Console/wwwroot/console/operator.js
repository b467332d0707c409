// Network operator: the ledger's invariants, audited now, and every settled epoch with what moved in it.
import { api } from './api.js';
import { h, table, when } from './dom.js';

const facts = o => h('dl', { class: 'facts' }, Object.entries(o).filter(([, v]) => typeof v !== 'object' || v === null)
  .map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]));

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
      'No epoch has been settled yet.')));
}
