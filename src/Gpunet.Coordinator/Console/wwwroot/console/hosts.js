// Host operator: my machines and their GPUs, state and why, reputation and stake; every check of each host, passed or
// failed with its reason, and each check's signed reports; each host's earnings per settled epoch; my stake, and the
// unbonding and vesting schedules.
import { api } from './api.js';
import { h, table, when, number, price } from './dom.js';
import { earnings, schedules } from './earnings.js';

async function check(main, id) {
  const c = await api(`/api/v1/checks/${encodeURIComponent(id)}`);
  main.replaceChildren(h('section', {},
    h('p', {}, h('a', { href: '#/hosts' }, '← My hosts')),
    h('h1', {}, `Check ${c.id}`),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Host'), h('dd', {}, c.hostId),
      h('dt', {}, 'Kind'), h('dd', {}, c.kind),
      h('dt', {}, 'Outcome'), h('dd', { id: 'check-outcome', class: `outcome ${c.outcome}` }, c.outcome),
      h('dt', {}, 'Consequence'), h('dd', {}, c.consequence || '–'),
      h('dt', {}, 'Issued'), h('dd', {}, when(c.issuedAt)),
      h('dt', {}, 'Decided'), h('dd', {}, when(c.decidedAt))),
    h('h2', {}, 'Signed reports'),
    table(['Checker', 'Passed', 'Reason', 'Round trip', 'Signed', 'Signature'],
      (c.reports ?? []).map(r => [r.checker, r.passed ? 'yes' : 'no', r.reason, `${(r.roundTripUs / 1000).toFixed(1)} ms`, when(r.signedAt),
        h('details', {}, h('summary', {}, `${r.signature.slice(0, 18)}…`), h('pre', { class: 'signed' }, r.signedText), h('code', {}, r.signature))]),
      'No checker has reported yet.')));
}

async function list(main, me) {
  const [hosts, wallet] = await Promise.all([api(`/api/v1/hosts?operator=${encodeURIComponent(me.address)}`), api('/api/v1/wallet')]);
  const sections = [h('h1', {}, 'My hosts'),
    h('div', { class: 'stats' }, ...[['available', wallet.available], ['held', wallet.held], ['staked', wallet.staked], ['unbonding', wallet.unbonding],
      ['vesting', wallet.vesting]].map(([k, v]) => h('div', { class: 'stat', id: `wallet-${k}` }, h('span', { class: 'value' }, v), h('span', { class: 'label' }, `${k} (tokens)`)))),
    h('p', { class: 'muted' }, 'Rewards vest over time; unbonding stake becomes available after the unbonding period. History: gpunet wallet history.'),
    h('div', { id: 'schedules' }, schedules(wallet))];
  if (hosts.length === 0) sections.push(h('p', { class: 'empty' }, 'This wallet has registered no host: run gpunet agent with its key.'));
  // A large farm: the first 50 hosts here (each reads its checks); the rest with gpunet hosts --json.
  const shown = hosts.slice(0, 50);
  if (hosts.length > shown.length) sections.push(h('p', { class: 'muted' }, `Showing 50 of ${number(hosts.length)} hosts; all of them: gpunet hosts --json.`));
  for (const host of shown) {
    const [checks, earned] = await Promise.all([api(`/api/v1/checks?host=${encodeURIComponent(host.id)}&limit=20`),
      api(`/api/v1/hosts/${encodeURIComponent(host.id)}/earnings?limit=14`)]);
    sections.push(h('div', { class: 'card host', 'data-host': host.id },
      h('h2', {}, `${host.id} `, h('span', { class: `state ${host.state.toLowerCase()}` }, host.state)),
      h('p', { class: 'reason' }, host.stateReason),
      h('dl', { class: 'facts' },
        h('dt', {}, 'GPUs'), h('dd', {}, host.gpus.map(g => g.model).join(', ') || '–'),
        h('dt', {}, 'Where'), h('dd', {}, `${host.country}${host.region ? ' / ' + host.region : ''}`),
        h('dt', {}, 'Price'), h('dd', {}, `${price(host.priceUsdPerGpuHour)} per GPU-hour`),
        h('dt', {}, 'Reputation'), h('dd', {}, number(host.reputation)),
        h('dt', {}, 'Stake'), h('dd', {}, `${host.staked} of ${host.requiredStake} tokens`)),
      h('h3', {}, 'Earnings'),
      earnings(earned),
      h('h3', {}, 'Checks'),
      table(['Kind', 'Outcome', 'Consequence', 'Decided', ''], checks.map(c => [c.kind, h('span', { class: `outcome ${c.outcome}` }, c.outcome),
        c.consequence || '–', when(c.decidedAt), h('a', { href: `#/hosts/check/${encodeURIComponent(c.id)}`, class: 'check-link' }, 'reports')]),
      'No check yet.')));
  }
  main.replaceChildren(h('section', {}, sections));
}

export async function render(main, [what, id]) {
  if (what === 'check' && id) return check(main, id);
  const me = await api('/api/v1/me');
  if (!me.address) {
    main.replaceChildren(h('p', { class: 'empty' }, 'The network operator has no hosts of its own: sign in with a host operator\'s wallet.'));
    return;
  }
  return list(main, me);
}
