// Host operator: my machines and their GPUs, state and why, reputation and stake; every check of each host, passed or
// failed with its reason, and each check's signed reports; each host's earnings per settled epoch; my stake, and the
// unbonding and vesting schedules. Kept live by the host stream: a host's state, its checks and earnings change in place.
import { api, follow } from './api.js';
import { h, table, when, number, price, problem } from './dom.js';
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

function walletStats(wallet) {
  return [h('div', { class: 'stats' }, ...[['available', wallet.available], ['held', wallet.held], ['staked', wallet.staked], ['unbonding', wallet.unbonding],
    ['vesting', wallet.vesting]].map(([k, v]) => h('div', { class: 'stat', id: `wallet-${k}` }, h('span', { class: 'value' }, v), h('span', { class: 'label' }, `${k} (tokens)`)))),
  h('p', { class: 'muted' }, 'Rewards vest over time; unbonding stake becomes available after the unbonding period. History: gpunet wallet history.'),
  h('div', { id: 'schedules' }, schedules(wallet))];
}

function head(host) {
  return [h('h2', {}, `${host.id} `, h('span', { class: `state ${host.state.toLowerCase()}` }, host.state)),
    h('p', { class: 'reason' }, host.stateReason),
    h('dl', { class: 'facts' },
      h('dt', {}, 'GPUs'), h('dd', {}, host.gpus.map(g => g.model).join(', ') || '–'),
      h('dt', {}, 'Where'), h('dd', {}, `${host.country}${host.region ? ' / ' + host.region : ''}`),
      h('dt', {}, 'Price'), h('dd', {}, `${price(host.priceUsdPerGpuHour)} per GPU-hour`),
      h('dt', {}, 'Reputation'), h('dd', {}, number(host.reputation)),
      h('dt', {}, 'Stake'), h('dd', {}, `${host.staked} of ${host.requiredStake} tokens`))];
}

// Newest first: a check still open sorts by when it was issued, a decided one by when it was decided.
const checkTime = c => Date.parse(c.decidedAt ?? c.issuedAt ?? 0);

function checksTable(checks) {
  const rows = [...checks.values()].sort((a, b) => checkTime(b) - checkTime(a)).slice(0, 20);
  return table(['Kind', 'Outcome', 'Consequence', 'Decided', ''], rows.map(c => [c.kind, h('span', { class: `outcome ${c.outcome}`, 'data-check': c.id }, c.outcome),
    c.consequence || '–', when(c.decidedAt), h('a', { href: `#/hosts/check/${encodeURIComponent(c.id)}`, class: 'check-link' }, 'reports')]),
  'No check yet.');
}

// One host's card, kept by the live stream: its head is redrawn when its state changes, its checks and earnings when
// one is decided or settled. What the stream pushes and what the first read found are merged by id (check) or epoch.
function hostCard(host) {
  const c = { host, checks: new Map(), earnings: new Map(), head: h('div', { class: 'host-head' }, head(host)),
    earned: h('div', { class: 'host-earnings' }, h('p', { class: 'muted' }, 'Reading…')), checked: h('div', { class: 'host-checks' }, h('p', { class: 'muted' }, 'Reading…')) };
  c.el = h('div', { class: 'card host', 'data-host': host.id }, c.head, h('h3', {}, 'Earnings'), c.earned, h('h3', {}, 'Checks'), c.checked);
  c.update = v => { c.host = v; c.head.replaceChildren(...head(v)); };
  c.addChecks = list => { for (const x of list) c.checks.set(x.id, { ...c.checks.get(x.id), ...x }); c.checked.replaceChildren(checksTable(c.checks)); };
  c.addEarnings = list => {
    for (const x of list) c.earnings.set(x.epoch, x);
    c.earned.replaceChildren(earnings([...c.earnings.values()].sort((a, b) => b.epoch - a.epoch).slice(0, 14)));
  };
  return c;
}

// Live (GET /console/hosts/stream): the first event lists the hosts (again after a reconnection: the page is drawn
// afresh from it), then each change to one of them is pushed and drawn in place; nothing is polled.
async function list(main, signal) {
  const section = h('section', {}, h('h1', {}, 'My hosts'), h('p', { class: 'muted' }, 'Reading your hosts…'));
  main.replaceChildren(section);
  let cards = new Map(), drawn = 0, walletRead = null;
  const readWallet = () => {
    // One read at a time: a settlement pays every host at once.
    walletRead ??= api('/api/v1/wallet').then(w => {
      walletRead = null;
      if (!signal.aborted) document.getElementById('wallet')?.replaceChildren(...walletStats(w));
    }, () => { walletRead = null; });
  };
  const snapshot = async ({ total, hosts }) => {
    const mine = ++drawn;
    cards = new Map(hosts.map(host => [host.id, hostCard(host)]));
    section.replaceChildren(...[h('h1', {}, 'My hosts'), h('div', { id: 'wallet' }),
      hosts.length === 0 ? h('p', { class: 'empty' }, 'This wallet has registered no host: run gpunet agent with its key.') : null,
      total > hosts.length ? h('p', { class: 'muted' }, `Showing ${hosts.length} of ${number(total)} hosts; all of them: gpunet hosts --json.`) : null,
      ...[...cards.values()].map(c => c.el)].filter(Boolean));
    readWallet();
    for (const c of cards.values()) {
      const [checks, earned] = await Promise.all([api(`/api/v1/checks?host=${encodeURIComponent(c.host.id)}&limit=20`),
        api(`/api/v1/hosts/${encodeURIComponent(c.host.id)}/earnings?limit=14`)]);
      if (mine !== drawn || signal.aborted) return;
      c.addChecks(checks);
      c.addEarnings(earned);
    }
  };
  await follow('/api/v1/console/hosts/stream', signal, e => {
    const c = cards.get(e.data.hostId ?? e.data.id);
    if (e.event === 'hosts') snapshot(e.data).catch(err => { if (!signal.aborted) section.append(problem(err)); });
    else if (e.event === 'host') c?.update(e.data);
    else if (e.event === 'check') c?.addChecks([e.data]);
    else if (e.event === 'earnings') {
      c?.addEarnings([e.data.earning]);
      readWallet();
    }
    return false;
  });
}

export async function render(main, [what, id], signal) {
  if (what === 'check' && id) return check(main, id);
  const me = await api('/api/v1/me');
  if (!me.address) {
    main.replaceChildren(h('p', { class: 'empty' }, 'The network operator has no hosts of its own: sign in with a host operator\'s wallet.'));
    return;
  }
  return list(main, signal);
}
