// Compliance officer: the KYC queue, each submission with its screening, approved or rejected (with a reason) here;
// the policy in force; the audit log of decisions, with its hash chain verified. #/kyc/hosts: hosts' decisions
// (locations.js).
import { api } from './api.js';
import { h, table, when, problem } from './dom.js';
import * as locations from './locations.js';

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

export async function render(main, [what, ...rest] = []) {
  if (what === 'hosts') return locations.render(main, rest);
  const status = h('div', { id: 'kyc-status' });
  const [pending, policy, audit, chain] = await Promise.all([api('/api/v1/kyc/submissions?state=pending&limit=100'),
    api('/api/v1/compliance/policy'), api('/api/v1/audit?limit=50'), api('/api/v1/audit/verify')]);
  const rows = pending.map(s => {
    const row = h('tr', { 'data-submission': s.id },
      h('td', {}, s.legalName), h('td', {}, s.kind), h('td', {}, s.country), h('td', {}, s.address),
      h('td', {}, `${s.screening}: ${s.screeningSummary}`), h('td', {}, when(s.submittedAt)));
    row.append(h('td', {}, decide(row, s, status)));
    return row;
  });
  main.replaceChildren(h('section', {},
    h('p', { class: 'subnav' }, h('a', { href: '#/kyc/hosts', id: 'kyc-hosts' }, 'Hosts a rule stops: location and policy decisions')),
    h('h1', {}, 'KYC queue'),
    status,
    rows.length === 0
      ? h('p', { class: 'empty' }, 'No submission waits for a decision.')
      : h('table', { id: 'kyc-queue' },
        h('thead', {}, h('tr', {}, ['Name', 'Kind', 'Country', 'Wallet', 'Screening', 'Submitted', 'Decision'].map(x => h('th', {}, x)))),
        h('tbody', {}, rows)),
    h('h2', {}, 'Audit log'),
    h('p', { id: 'audit-chain', class: chain.valid ? 'ok' : 'error' }, chain.valid
      ? `Hash chain verified: ${chain.entries} entries, none altered or removed.`
      : `Hash chain broken at entry ${chain.firstInvalidSequence}: ${chain.problem}`),
    table(['#', 'At', 'Subject', 'Rule', 'Outcome', 'By', 'Inputs'],
      audit.map(a => [a.sequence, when(a.at), a.subject, a.rule, a.outcome, a.decidedBy, JSON.stringify(a.inputs)]), 'No decision recorded yet.'),
    h('h2', {}, 'Policy in force'),
    h('p', { class: 'muted' }, `Version ${policy.version ?? '–'}, applied ${when(policy.appliedAt)}${policy.appliedBy ? ' by ' + policy.appliedBy : ''}.`),
    h('pre', { class: 'policy' }, policy.yaml ?? '')));
}
