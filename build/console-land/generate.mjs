// Regenerates the console map's land outline (src/Gpunet.Coordinator/Console/wwwroot/console/land.json): `npm ci && node generate.mjs`.
// Committed rather than built, so the console needs no npm at build or run time.
import { readFileSync, writeFileSync } from 'node:fs';
import { feature } from 'topojson-client';
import { geoEquirectangular, geoPath } from 'd3-geo';
const topo = JSON.parse(readFileSync('node_modules/world-atlas/land-110m.json', 'utf8'));
const land = feature(topo, topo.objects.land);
const W = 720, H = 360;
const projection = geoEquirectangular().scale(W / (2 * Math.PI)).translate([W / 2, H / 2]).precision(0.5);
const path = geoPath(projection).digits(1);
const d = path(land);
writeFileSync(new URL('../../src/Gpunet.Coordinator/Console/wwwroot/console/land.json', import.meta.url), JSON.stringify({ source: 'Natural Earth 1:110m land (public domain), via world-atlas 2.0.2 (ISC); equirectangular, 720x360', d }));
console.log(d.length);
