// My leases: each lease's state and why, cost so far, SLA tier, the endpoint of a session; one lease's history and its
// workload's output and its SLA this month with charts, pushed live while it runs.
import { api, follow } from './api.js';
import { slaCharts, targets } from './slachart.js';
import { h, table, when, price, problem } from './dom.js';

const ended = s => !['Pending', 'Starting', 'Running'].includes(s);

// What the lease has run for at its price: an estimate until settlement bills it (the ledger's history has the charges).
function cost(lease) {
  if (!lease.startedAt || lease.priceUsdPerGpuHour == null) return '–';
  const hours = ((lease.endedAt ? Date.parse(lease.endedAt) : Date.now()) - Date.parse(lease.startedAt)) / 3_600_000;
  const gpus = Math.max(1, lease.gpuIndices.length) * lease.gpuMilli / 1000;
  return `about $${(hours * gpus * lease.priceUsdPerGpuHour).toFixed(4)} (${hours < 1 ? `${(hours * 60).toFixed(1)} min` : `${hours.toFixed(2)} h`} at the lease's price)`;
}

// The month's SLA report in words and as charts, or why there is none.
async function sla(id) {
  try {
    const [r, target] = await Promise.all([api(`/api/v1/sla/report?lease=${encodeURIComponent(id)}`), targets()]);
    const text = `${(r.availability * 100).toFixed(3)} % this month against the ${r.tier} tier: ${r.met ? 'met' : 'not met'}` +
      (r.windows.length ? `; ${r.windows.length} downtime window${r.windows.length > 1 ? 's' : ''}` : '') +
      (r.creditedTotal !== '0' ? `; ${r.creditedTotal} tokens credited` : '');
    return { text, chart: slaCharts(r, target[r.tier]) };
  } catch (e) {
    return { text: e.message, chart: null };
  }
}

async function list(main) {
  const leases = await api('/api/v1/leases?limit=100');
  main.replaceChildren(h('section', {},
    h('h1', {}, 'My leases'),
    table(['Lease', 'State', 'Why', 'GPU', 'Price/GPU-h', 'SLA', 'Created'],
      leases.map(l => [h('a', { href: `#/leases/${encodeURIComponent(l.id)}` }, l.id), h('span', { class: `state ${l.state.toLowerCase()}` }, l.state),
        l.stateReason, l.gpuModel ?? '–', price(l.priceUsdPerGpuHour), l.slaTier, when(l.createdAt)]),
      'No lease yet: rent a GPU in the Marketplace.')));
}

function facts(lease, slaText, id, head) {
  return [h('h1', {}, `Lease ${lease.id}`),
    h('dl', { class: 'facts' },
      h('dt', {}, 'State'), h('dd', { id: 'lease-state', class: `state ${lease.state.toLowerCase()}` }, lease.state),
      h('dt', {}, 'Why'), h('dd', {}, lease.stateReason),
      h('dt', {}, 'Host'), h('dd', {}, lease.hostId ?? '–'),
      h('dt', {}, 'GPUs'), h('dd', {}, lease.gpuModel ? `${lease.gpuModel} ${lease.gpuIndices.join(',')}` : '–'),
      h('dt', {}, 'Price'), h('dd', {}, `${price(lease.priceUsdPerGpuHour)} per GPU-hour`),
      h('dt', {}, 'Cost so far'), h('dd', { id: 'lease-cost' }, cost(lease)),
      h('dt', {}, 'SLA tier'), h('dd', {}, lease.slaTier),
      slaText ? [h('dt', {}, 'SLA'), h('dd', { id: 'lease-sla' }, slaText)] : null,
      lease.endpoint ? [h('dt', {}, 'Endpoint'), h('dd', {}, lease.endpoint)] : null,
      lease.exitCode != null ? [h('dt', {}, 'Exit code'), h('dd', {}, lease.exitCode)] : null),
    ended(lease.state) ? null : h('button', {
      type: 'button', id: 'cancel', onclick: async e => {
        e.target.disabled = true;
        try { await api(`/api/v1/leases/${encodeURIComponent(id)}/cancel`, { method: 'POST' }); } catch (err) { head.append(problem(err)); }
      },
    }, 'Cancel lease'),
    h('h2', {}, 'History'),
    table(['At', 'State', 'Host', 'Why'], (lease.history ?? []).map(e => [when(e.at), e.state, e.hostId ?? '–', e.reason]), '')];
}

// Live: the lease and its lines are pushed (GET /leases/{id}/events); nothing is polled. A lost connection shows in the
// header and resumes after the last line received (Last-Event-ID), so no line is shown twice or missed.
async function one(main, id, signal) {
  const logs = h('pre', { id: 'logs', class: 'logs' });
  const head = h('div'), chart = h('div', { id: 'lease-sla-chart' });
  main.replaceChildren(h('section', {}, h('p', {}, h('a', { href: '#/leases' }, '← My leases')), head, h('h2', {}, 'Output'), logs,
    h('h2', {}, 'SLA this month'), chart));
  let attempt = 1, lease = null, slaText = '', slaState = '';
  // The cost so far grows with the running time: recounted here each second, with no call to the coordinator.
  const tick = setInterval(() => {
    const c = document.getElementById('lease-cost');
    if (lease && c) c.textContent = cost(lease);
  }, 1000);
  signal.addEventListener('abort', () => clearInterval(tick));
  try {
    await follow(`/api/v1/leases/${encodeURIComponent(id)}/events`, signal, e => {
      if (e.event === 'lease') {
        lease = e.data;
        head.replaceChildren(...facts(lease, slaText, id, head).filter(Boolean));
        // The month's SLA report is read again when the lease changes state.
        if (lease.startedAt && slaState !== lease.state) {
          slaState = lease.state;
          sla(id).then(r => {
            if (signal.aborted) return;
            slaText = r.text;
            head.replaceChildren(...facts(lease, slaText, id, head).filter(Boolean));
            chart.replaceChildren(r.chart ?? '');
          });
        }
      } else if (e.event === 'line') {
        const line = e.data;
        if (line.attempt !== attempt) { attempt = line.attempt; logs.append(`— attempt ${attempt} —\n`); }
        logs.append(h('span', { class: line.stream === 'stderr' ? 'stderr' : 'stdout' }, line.text + '\n'));
      }
      return e.event === 'end';
    });
  } finally {
    clearInterval(tick);
  }
}

export async function render(main, [id], signal) {
  return id ? one(main, id, signal) : list(main);
}
