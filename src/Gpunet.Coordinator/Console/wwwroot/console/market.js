// Marketplace: the GPU search language of `gpunet gpus`, free offers and prices, renting from the page; when nothing
// matches, which requirement left out how many offers.
import { api } from './api.js';
import { h, table, number, price, problem } from './dom.js';

function rentForm(offer, done) {
  const command = h('input', { name: 'command', type: 'text', value: 'echo hello from gpunet', size: 50 });
  const count = h('input', { name: 'count', type: 'number', min: 1, max: offer.count, value: 1 });
  const max = h('input', { name: 'maxPrice', type: 'number', step: '0.01', min: 0, value: offer.priceUsdPerGpuHour });
  const status = h('div');
  return h('form', {
    class: 'card rent',
    onsubmit: async e => {
      e.preventDefault();
      status.replaceChildren();
      try {
        const order = await api('/api/v1/orders', {
          method: 'POST',
          body: {
            gpu: [offer.model], count: Number(count.value), host: offer.hostId, maxPrice: Number(max.value),
            command: ['/bin/sh', '-c', command.value],
          },
        });
        done(order);
      } catch (err) {
        status.replaceChildren(problem(err));
      }
    },
  },
  h('h3', {}, `Rent ${offer.model} on ${offer.hostId}`),
  h('label', {}, 'Command (run with /bin/sh -c) ', command),
  h('label', {}, 'GPUs ', count),
  h('label', {}, 'Most you pay, USD per GPU-hour ', max),
  h('button', { type: 'submit' }, 'Rent'), status);
}

const SHOWN = 100;

async function search(results, q) {
  results.replaceChildren(h('p', { class: 'muted' }, 'Searching…'));
  const query = encodeURIComponent(q);
  try {
    // The cheapest offers only: a network of thousands of hosts is never listed whole.
    const offers = await api(`/api/v1/gpus?q=${query}&limit=${SHOWN}`);
    const rows = offers.map(o => [o.model, number(o.count), `${o.country}${o.region ? ' / ' + o.region : ''}`, price(o.priceUsdPerGpuHour), o.hostId,
      h('button', { type: 'button', class: 'rent-button', 'data-host': o.hostId, onclick: () => rent(results, o) }, 'Rent')]);
    const parts = [table(['Model', 'Free GPUs', 'Where', 'Price/GPU-h', 'Host', ''], rows, '')];
    if (offers.length === SHOWN) {
      const all = await api(`/api/v1/gpus/explain?q=${query}`);
      parts.unshift(h('p', { class: 'muted', id: 'offers-shown' }, `The ${number(SHOWN)} cheapest of ${number(all.matched)} matching offers; narrow the search to see others.`));
    }
    if (offers.length === 0) {
      const why = await api(`/api/v1/gpus/explain?q=${query}`);
      parts.push(h('div', { class: 'card explain', id: 'explain' },
        h('p', {}, why.offers === 0
          ? 'No GPU is free on a Ready host right now.'
          : `Nothing matches ${why.query}: ${number(why.offers)} offers were left out by`),
        h('ul', {}, why.clauses.filter(c => c.excluded > 0).map(c => h('li', {}, h('code', {}, c.clause), ` left out ${number(c.excluded)} of ${number(why.offers)}`)))));
    }
    results.replaceChildren(...parts);
  } catch (e) {
    results.replaceChildren(problem(e));
  }
}

function rent(results, offer) {
  results.replaceChildren(rentForm(offer, order => { location.hash = `#/leases/${encodeURIComponent(order.leaseId)}`; }));
}

export async function render(main) {
  const input = h('input', { id: 'query', type: 'search', size: 60, placeholder: 'model=H100 count>=8 country in [DE,FR] price<=2.5' });
  const results = h('div', { id: 'offers' });
  main.replaceChildren(h('section', {},
    h('h1', {}, 'Marketplace'),
    h('form', { class: 'search', onsubmit: e => { e.preventDefault(); search(results, input.value); } },
      h('label', { for: 'query' }, 'Search free GPUs '), input, h('button', { type: 'submit' }, 'Search')),
    h('p', { class: 'muted' }, 'Fields: model, vram, count, country, region, price, cc, host; operators = != < <= > >= in [..].'),
    results));
  await search(results, '');
}
