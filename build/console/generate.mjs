// Makes the web console's committed assets under src/Gpunet.Coordinator/Console/wwwroot/console: `npm ci && node generate.mjs`.
// Committed rather than built, so the console needs no npm at build or run time.
//  - land.json: Natural Earth's 1:110m land outline (public domain, via world-atlas), projected for the map.
//  - vendor/: @noble/secp256k1 and @noble/hashes' keccak (both MIT, audited, no dependencies), unchanged, with their
//    licences, for signing in with a key file in the page.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { feature } from 'topojson-client';
import { geoEquirectangular, geoPath } from 'd3-geo';

const out = new URL('../../src/Gpunet.Coordinator/Console/wwwroot/console/', import.meta.url);

const topo = JSON.parse(readFileSync('node_modules/world-atlas/land-110m.json', 'utf8'));
const land = feature(topo, topo.objects.land);
const W = 720, H = 360;
const projection = geoEquirectangular().scale(W / (2 * Math.PI)).translate([W / 2, H / 2]).precision(0.5);
const d = geoPath(projection).digits(1)(land);
writeFileSync(new URL('land.json', out),
  JSON.stringify({ source: 'Natural Earth 1:110m land (public domain), via world-atlas 2.0.2 (ISC); equirectangular, 720x360', d }));

const vendor = new URL('vendor/', out);
mkdirSync(new URL('hashes/', vendor), { recursive: true });
copyFileSync('node_modules/@noble/secp256k1/index.js', new URL('secp256k1.js', vendor));
copyFileSync('node_modules/@noble/secp256k1/LICENSE', new URL('secp256k1.LICENSE', vendor));
for (const f of ['sha3.js', '_u64.js', 'utils.js', 'LICENSE'])
  copyFileSync(`node_modules/@noble/hashes/${f}`, new URL(`hashes/${f}`, vendor));
console.log(`land: ${d.length} characters; vendor: secp256k1, hashes/sha3`);
