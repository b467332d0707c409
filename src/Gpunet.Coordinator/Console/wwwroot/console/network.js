// Network: the whole network live, from the coordinator's aggregates (as quick with 10,000 hosts as with 10).
import { api, follow } from './api.js';
import { h, table, number, price, problem } from './dom.js';
import { worldMap, colours, loadLand } from './map.js';

function view(a, land) {
  const colour = colours(a.models);
  const card = (label, value, id) => h('div', { class: 'stat', id }, h('span', { class: 'value' }, value), h('span', { class: 'label' }, label));
  return h('section', { id: 'network' },
    h('h1', {}, `Network ${a.network}`),
    h('div', { class: 'stats' },
      card('hosts', number(a.hosts), 'stat-hosts'),
      ...Object.entries(a.hostsByState).map(([s, n]) => card(s.toLowerCase(), number(n), `stat-${s.toLowerCase()}`)),
      card('GPUs up', number(a.gpus), 'stat-gpus'),
      card('GPUs leased', `${number(a.gpusLeased)} (${(a.utilisation * 100).toFixed(1)} %)`, 'stat-leased'),
      card('heartbeats/s', number(a.heartbeatsPerSecond), 'stat-heartbeats'),
      card('checks in the last minute', number(a.checksLastMinute), 'stat-checks')),
    h('div', { class: 'card' }, worldMap(a, colour, land),
      h('ul', { class: 'legend' }, a.models.map(m => h('li', {}, h('span', { class: 'swatch', 'data-colour': colour.get(m.model) }), m.model)))),
    h('h2', {}, 'GPU models'),
    table(['Model', 'GPUs up', 'Leased', 'Lowest price', 'Median price'],
      a.models.map(m => [m.model, number(m.gpus), number(m.gpusLeased), price(m.lowestPriceUsdPerGpuHour), price(m.medianPriceUsdPerGpuHour)]),
      'No GPU has joined the network yet.'),
    h('h2', {}, 'Countries'),
    table(['Country', 'Hosts', 'GPUs up', 'Leased'], a.countries.map(c => [`${c.name} (${c.country})`, number(c.hosts), number(c.gpus), number(c.gpusLeased)]),
      'No host has registered yet.'),
    h('p', { class: 'muted' }, `Counted ${new Date(a.at).toLocaleTimeString()}; updates live.`));
}

function paint(main, atlas, land) {
  main.replaceChildren(view(atlas, land));
  // Swatch colours are set through the CSSOM (the content security policy allows no inline style attributes).
  for (const s of main.querySelectorAll('.swatch')) s.style.background = s.dataset.colour;
}

export async function render(main, _, signal) {
  const land = await loadLand();
  paint(main, await api('/api/v1/console/network', { signal }), land);
  // Live: the stream sends the view every few seconds; a lost connection is shown and retried with backoff.
  try {
    await follow('/api/v1/console/network/stream', signal, e => { if (e.event === 'atlas') paint(main, e.data, land); });
  } catch (e) {
    main.prepend(problem(e));
  }
}
