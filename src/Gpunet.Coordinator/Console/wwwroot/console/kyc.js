// Compliance officer: the KYC queue, each submission with its screening, approved or rejected (with a reason) here.
import { api } from './api.js';
import { h, table, when, problem } from './dom.js';

function decide(row, s, status) {
  const reason = h('input', { type: 'text', name: 'reason', placeholder: 'reason (required to reject)', size: 30 });
  const act = verb => async () => {
    status.replaceChildren();
    try {
      await api(`/api/v1/kyc/submissions/${encodeURIComponent(s.id)}/${verb}`, { method: 'POST', body: { reason: reason.value || null } });
      row.remove();
      status.replaceChildren(h('p', { class: 'ok', role: 'status' }, `${s.legalName}: ${verb === 'approve' ? 'approved' : 'rejected'}.`));
    } catch (e) {
      status.replaceChildren(problem(e));
    }
  };
  return h('span', { class: 'decide' }, reason,
    h('button', { type: 'button', class: 'approve', onclick: act('approve') }, 'Approve'),
    h('button', { type: 'button', class: 'reject', onclick: act('reject') }, 'Reject'));
}

export async function render(main) {
  const status = h('div', { id: 'kyc-status' });
  const pending = await api('/api/v1/kyc/submissions?state=pending&limit=100');
  const rows = pending.map(s => {
    const row = h('tr', { 'data-submission': s.id },
      h('td', {}, s.legalName), h('td', {}, s.kind), h('td', {}, s.country), h('td', {}, s.address),
      h('td', {}, `${s.screening}: ${s.screeningSummary}`), h('td', {}, when(s.submittedAt)));
    row.append(h('td', {}, decide(row, s, status)));
    return row;
  });
  main.replaceChildren(h('section', {},
    h('h1', {}, 'KYC queue'),
    status,
    rows.length === 0
      ? h('p', { class: 'empty' }, 'No submission waits for a decision.')
      : h('table', { id: 'kyc-queue' },
        h('thead', {}, h('tr', {}, ['Name', 'Kind', 'Country', 'Wallet', 'Screening', 'Submitted', 'Decision'].map(x => h('th', {}, x)))),
        h('tbody', {}, rows))));
}
