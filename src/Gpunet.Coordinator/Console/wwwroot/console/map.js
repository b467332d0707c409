// A world map of GPUs by country: an equirectangular graticule with one circle per country at the mean position of
// its hosts, its area proportional to its GPUs and its colour that of the model most of them are.
import { h, number } from './dom.js';

const W = 720, H = 360;
const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function colours(models) {
  const map = new Map();
  models.forEach((m, i) => map.set(m.model, palette[i % palette.length]));
  return map;
}

const x = lon => (lon + 180) / 360 * W;
const y = lat => (90 - lat) / 180 * H;

// Natural Earth's land at 1:110m in the same projection (build/console-land makes it), fetched once.
let land;
export async function loadLand() {
  land ??= fetch('/console/land.json').then(r => r.ok ? r.json() : { d: '' }).then(j => j.d, () => '');
  return land;
}

export function worldMap(atlas, colour, outline) {
  const grid = [];
  for (let lon = -180; lon <= 180; lon += 30) grid.push(h('line', { x1: x(lon), y1: 0, x2: x(lon), y2: H, class: 'grid' }));
  for (let lat = -60; lat <= 60; lat += 30) grid.push(h('line', { x1: 0, y1: y(lat), x2: W, y2: y(lat), class: 'grid' }));
  const max = Math.max(1, ...atlas.countries.map(c => c.gpus));
  const dots = atlas.countries.filter(c => c.latitude !== null && c.gpus > 0).map(c => {
    const top = Object.entries(c.gpusByModel).sort((a, b) => b[1] - a[1])[0]?.[0];
    const r = 3 + 22 * Math.sqrt(c.gpus / max);
    return h('g', { class: 'country', 'data-country': c.country },
      h('circle', { cx: x(c.longitude), cy: y(c.latitude), r, fill: colour.get(top) ?? '#888' }),
      h('text', { x: x(c.longitude), y: y(c.latitude) - r - 3, 'text-anchor': 'middle' }, c.country),
      h('title', {}, `${c.name}: ${number(c.gpus)} GPUs (${number(c.gpusLeased)} leased) on ${number(c.hosts)} hosts — ` +
        Object.entries(c.gpusByModel).map(([m, n]) => `${m} ${n}`).join(', ')));
  });
  return h('svg', { viewBox: `0 0 ${W} ${H}`, class: 'map', role: 'img', 'aria-label': 'GPUs by country' },
    h('rect', { x: 0, y: 0, width: W, height: H, class: 'sea' }), outline ? h('path', { d: outline, class: 'land' }) : null, grid, dots);
}
