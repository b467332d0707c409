// My leases: each lease's state and why, cost so far, SLA tier, the endpoint of a session; one lease's history and its
// workload's output, live while it runs.
import { api, ndjson } from './api.js';
import { h, table, when, price, problem } from './dom.js';

const ended = s => !['Pending', 'Starting', 'Running'].includes(s);

async function list(main) {
  const leases = await api('/api/v1/leases?limit=100');
  main.replaceChildren(h('section', {},
    h('h1', {}, 'My leases'),
    table(['Lease', 'State', 'Why', 'GPU', 'Price/GPU-h', 'SLA', 'Created'],
      leases.map(l => [h('a', { href: `#/leases/${encodeURIComponent(l.id)}` }, l.id), h('span', { class: `state ${l.state.toLowerCase()}` }, l.state),
        l.stateReason, l.gpuModel ?? '–', price(l.priceUsdPerGpuHour), l.slaTier, when(l.createdAt)]),
      'No lease yet: rent a GPU in the Marketplace.')));
}

async function one(main, id, signal) {
  const logs = h('pre', { id: 'logs', class: 'logs' });
  const head = h('div');
  main.replaceChildren(h('section', {}, h('p', {}, h('a', { href: '#/leases' }, '← My leases')), head, h('h2', {}, 'Output'), logs));
  let after = 0, attempt = 1;
  // Polled: a lease's lines and state every second until it ends (then once more for the last lines).
  for (let last = false; !signal.aborted;) {
    const lease = await api(`/api/v1/leases/${encodeURIComponent(id)}`, { signal });
    head.replaceChildren(h('h1', {}, `Lease ${lease.id}`),
      h('dl', { class: 'facts' },
        h('dt', {}, 'State'), h('dd', { id: 'lease-state', class: `state ${lease.state.toLowerCase()}` }, lease.state),
        h('dt', {}, 'Why'), h('dd', {}, lease.stateReason),
        h('dt', {}, 'Host'), h('dd', {}, lease.hostId ?? '–'),
        h('dt', {}, 'GPUs'), h('dd', {}, lease.gpuModel ? `${lease.gpuModel} ${lease.gpuIndices.join(',')}` : '–'),
        h('dt', {}, 'Price'), h('dd', {}, `${price(lease.priceUsdPerGpuHour)} per GPU-hour`),
        h('dt', {}, 'SLA tier'), h('dd', {}, lease.slaTier),
        lease.endpoint ? [h('dt', {}, 'Endpoint'), h('dd', {}, lease.endpoint)] : null,
        lease.exitCode != null ? [h('dt', {}, 'Exit code'), h('dd', {}, lease.exitCode)] : null),
      ended(lease.state) ? null : h('button', {
        type: 'button', id: 'cancel', onclick: async e => {
          e.target.disabled = true;
          try { await api(`/api/v1/leases/${encodeURIComponent(id)}/cancel`, { method: 'POST' }); } catch (err) { head.append(problem(err)); }
        },
      }, 'Cancel lease'),
      h('h2', {}, 'History'),
      table(['At', 'State', 'Host', 'Why'], (lease.history ?? []).map(e => [when(e.at), e.state, e.hostId ?? '–', e.reason]), ''));
    for (const line of await ndjson(`/api/v1/leases/${encodeURIComponent(id)}/logs?attempt=${attempt}&after=${after}`)) {
      if (line.attempt !== attempt) { attempt = line.attempt; logs.append(`— attempt ${attempt} —\n`); }
      after = line.sequence;
      logs.append(h('span', { class: line.stream === 'stderr' ? 'stderr' : 'stdout' }, line.text + '\n'));
    }
    if (last) return;
    if (ended(lease.state)) last = true;
    await new Promise(r => setTimeout(r, 1000));
  }
}

export async function render(main, [id], signal) {
  return id ? one(main, id, signal) : list(main);
}
