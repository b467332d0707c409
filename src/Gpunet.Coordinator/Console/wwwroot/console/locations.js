// Compliance officer: the hosts a rule stops (#/kyc/hosts, a page at a time), and one host's decision (#/kyc/hosts/ID)
// with every rule that stops it, its location evidence, and the officer's "clear location" with its reason.
import { api } from './api.js';
import { h, table, when, problem } from './dom.js';

const pageSize = 50;

function nav() {
  return h('p', { class: 'subnav' }, h('a', { href: '#/kyc' }, 'KYC queue and audit log'), ' · ', h('a', { href: '#/kyc/hosts' }, 'Hosts a rule stops'));
}

function evidence(l) {
  if (!l) return h('p', { class: 'empty' }, 'No location check yet: one runs when the host connects.');
  return h('dl', { class: 'facts', id: 'location' },
    h('dt', {}, 'Check'), h('dd', { id: 'location-check', class: `check ${l.check.toLowerCase()}` }, l.check),
    h('dt', {}, 'Declared'), h('dd', {}, l.declaredCountry),
    h('dt', {}, 'Address resolves to'), h('dd', {}, l.resolvedCountry ?? 'nowhere known'),
    h('dt', {}, 'Address'), h('dd', {}, h('code', {}, l.address), ` (${l.source})`),
    h('dt', {}, 'Detail'), h('dd', {}, l.detail),
    h('dt', {}, 'Database'), h('dd', {}, l.database),
    h('dt', {}, 'Checked'), h('dd', {}, when(l.checkedAt)),
    h('dt', {}, 'Cleared'), h('dd', { id: 'location-cleared' }, l.clearedBy ? `by ${l.clearedBy}, ${when(l.clearedAt)}: ${l.clearedReason}` : 'no'));
}

function rules(d) {
  return d.reasons.length === 0
    ? h('p', { class: 'ok', id: 'rules' }, 'No rule stops this host.')
    : h('ul', { class: 'rules', id: 'rules' }, d.reasons.map(r => h('li', { 'data-rule': r.rule }, h('strong', {}, r.rule), ': ', r.message)));
}

async function host(main, id) {
  const d = await api(`/api/v1/compliance/hosts/${encodeURIComponent(id)}`);
  const status = h('div', { id: 'clear-status' });
  const reason = h('input', { type: 'text', id: 'clear-reason', name: 'reason', size: 50, maxlength: 500, placeholder: 'the evidence that places the host where it says' });
  const form = h('form', {
    class: 'card clear',
    onsubmit: async e => {
      e.preventDefault();
      status.replaceChildren();
      try {
        await api(`/api/v1/compliance/hosts/${encodeURIComponent(id)}/clear-location`, { method: 'POST', body: { reason: reason.value } });
        await host(main, id);
        document.getElementById('clear-status')?.replaceChildren(h('p', { class: 'ok', role: 'status' }, `${id}: location cleared.`));
      } catch (err) {
        status.replaceChildren(problem(err));
      }
    },
  },
  h('h2', {}, 'Clear the location'),
  h('p', { class: 'muted' }, 'When the address did not confirm the declared country, an officer who has other evidence clears it; the reason goes into the audit log.'),
  h('label', { for: 'clear-reason' }, 'Reason'), reason, h('button', { type: 'submit', id: 'clear-location' }, 'Clear location'));
  main.replaceChildren(h('section', {}, nav(),
    h('h1', {}, `${d.hostId} `, h('span', { id: 'host-decision', class: d.allowed ? 'ok' : 'error' }, d.allowed ? 'allowed' : 'stopped')),
    h('p', { class: 'muted' }, `Policy ${d.policyVersion}; the operator's KYC: ${d.operatorKyc}.`),
    h('h2', {}, 'Rules'), rules(d),
    h('h2', {}, 'Location evidence'), evidence(d.location),
    d.roundTripEvidence ? h('p', { class: 'notice', id: 'round-trips' }, `Checkers' round trips: ${d.roundTripEvidence}`) : null,
    status,
    d.location && !d.location.clearedBy ? form : null));
}

async function list(main, after, all) {
  const query = new URLSearchParams({ limit: String(pageSize), stopped: all ? 'false' : 'true' });
  if (after) query.set('after', after);
  const hosts = await api(`/api/v1/compliance/hosts?${query}`);
  const rows = hosts.map(d => [h('a', { href: `#/kyc/hosts/${encodeURIComponent(d.hostId)}`, class: 'host-link' }, d.hostId),
    h('span', { class: d.allowed ? 'ok' : 'error' }, d.allowed ? 'allowed' : 'stopped'),
    d.reasons.map(r => r.rule).join(', ') || '–', d.location ? `${d.location.declaredCountry} → ${d.location.resolvedCountry ?? '?'} (${d.location.check})` : '–']);
  const more = hosts.length === pageSize
    ? h('p', {}, h('a', { href: `#/kyc/hosts/${all ? 'all' : 'stopped'}/after/${encodeURIComponent(hosts[hosts.length - 1].hostId)}` }, 'Next page →'))
    : null;
  main.replaceChildren(h('section', {}, nav(),
    h('h1', {}, all ? 'Every host\'s decision' : 'Hosts a rule stops'),
    h('p', { class: 'muted' }, all ? h('a', { href: '#/kyc/hosts' }, 'Only those a rule stops') : h('a', { href: '#/kyc/hosts/all' }, 'Every host')),
    h('div', { id: 'stopped-hosts' }, table(['Host', 'Decision', 'Rules', 'Location (declared → resolved)'], rows,
      all ? 'No host has registered.' : 'No rule stops any host.')),
    more));
}

// #/kyc/hosts, #/kyc/hosts/all, #/kyc/hosts/{stopped|all}/after/ID, #/kyc/hosts/ID
export function render(main, [what, a, b]) {
  if (!what) return list(main, null, false);
  if (what === 'all' || what === 'stopped') return list(main, a === 'after' ? b : null, what === 'all');
  return host(main, what);
}
