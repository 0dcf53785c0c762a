#!/usr/bin/env node
// The partners' map's world (ui/data/world-map.js), made once from npm packages and committed:
// - Natural Earth's 1:50m countries (public domain) as TopoJSON from `world-atlas` 2.0.2 (ISC),
// - `topojson-client` 3.1.0 (ISC) to read them and merge shapes along their shared borders,
// - `i18n-iso-countries` 7.14.0 (MIT) only for ISO 3166 numeric to alpha-2 codes.
// Morocco is drawn whole, its southern provinces included (Natural Earth draws a separate
// "W. Sahara"): the council's map follows the Kingdom's borders. Projected with the Natural
// Earth projection (the formula d3 uses), 1000 units wide, coordinates rounded to a tenth,
// points closer than 1.2 units dropped and islets under 2 units across left out (each country
// keeps its largest shape): small enough to ship, fine enough for a dashboard.
// Usage: node tools/world-map.mjs   (needs npm; writes ui/data/world-map.js)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'world-map-'));
const unpack = (spec, dir) => {
  const tgz = execFileSync('npm', ['pack', spec, '--silent'], { cwd: work }).toString().trim().split('\n').pop();
  mkdirSync(join(work, dir));
  execFileSync('tar', ['xzf', tgz, '-C', dir], { cwd: work });
  return join(work, dir, 'package');
};
const atlas = unpack('world-atlas@2.0.2', 'atlas');
const client = createRequire(import.meta.url)(join(unpack('topojson-client@3.1.0', 'client'), 'dist/topojson-client.js'));
const iso = JSON.parse(readFileSync(join(unpack('i18n-iso-countries@7.14.0', 'iso'), 'codes.json'), 'utf8'));
const alpha2 = new Map(iso.map(([a2, , numeric]) => [numeric, a2]));

const world = JSON.parse(readFileSync(join(atlas, 'countries-50m.json'), 'utf8'));
const geometries = world.objects.countries.geometries;
const byCode = new Map();
for (const g of geometries) {
  const code = g.id === undefined ? null : alpha2.get(String(g.id).padStart(3, '0'));
  if (!code) continue;
  if (code === 'AQ') continue; // Antarctica: no council partner, and the map stops at 58° S
  const target = code === 'EH' ? 'MA' : code;
  if (!byCode.has(target)) byCode.set(target, []);
  byCode.get(target).push(g);
}

// Natural Earth projection (Šavrič, Jenny, Patterson, Petrovič, Hurni), as in d3-geo.
function project([lon, lat]) {
  const l = (lon * Math.PI) / 180;
  const p = (lat * Math.PI) / 180;
  const p2 = p * p;
  const p4 = p2 * p2;
  const x = l * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)));
  const y = p * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)));
  return [x, y];
}
const [xMax] = project([180, 0]);
const [, yMax] = project([0, 90]);
const WIDTH = 1000;
const scale = WIDTH / (2 * xMax);
const top = 84; // degrees north shown (the Arctic islands above add nothing)
const bottom = -58; // and south (Antarctica left out)
const yTop = project([0, top])[1];
const HEIGHT = Math.round((yTop - project([0, bottom])[1]) * scale);
const toScreen = ([lon, lat]) => {
  const [x, y] = project([lon, Math.max(bottom, Math.min(top, lat))]);
  return [Math.round((x + xMax) * scale * 10) / 10, Math.round((yTop - y) * scale * 10) / 10];
};

function ringPoints(ring) {
  const pts = [];
  for (const point of ring) {
    const p = toScreen(point);
    const last = pts[pts.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) >= 1.2) pts.push(p);
  }
  return pts;
}
const span = (pts) => Math.max(...pts.map((p) => p[0])) - Math.min(...pts.map((p) => p[0]))
  + Math.max(...pts.map((p) => p[1])) - Math.min(...pts.map((p) => p[1]));
// A ring that crosses the map's edge (the 180th meridian) is not closed across the whole map.
const path = (pts) => {
  let d = '';
  let open = false;
  pts.forEach(([x, y], i) => {
    const jump = i > 0 && Math.abs(x - pts[i - 1][0]) > WIDTH / 2;
    d += `${!open || jump ? 'M' : 'L'}${x} ${y}`;
    open = true;
  });
  const wraps = pts.some(([x], i) => i > 0 && Math.abs(x - pts[i - 1][0]) > WIDTH / 2);
  return wraps ? d : `${d}Z`;
};

const countries = {};
// Where each country's marker goes: the middle of its largest shape, for the smallest islands
// too (a partner in Cabo Verde is marked even where its islands are too small to draw).
const centres = {};
for (const [code, parts] of [...byCode.entries()].sort()) {
  const shape = parts.length > 1 ? client.merge(world, parts) : client.feature(world, parts[0]).geometry;
  if (!shape) continue;
  const polygons = shape.type === 'Polygon' ? [shape.coordinates] : shape.coordinates;
  const raw = polygons.map((r) => r[0].map(toScreen));
  const main = raw.reduce((a, b) => (span(b) > span(a) ? b : a));
  const xs = main.map((p) => p[0]);
  const ys = main.map((p) => p[1]);
  centres[code] = [Math.round((Math.min(...xs) + Math.max(...xs)) * 5) / 10, Math.round((Math.min(...ys) + Math.max(...ys)) * 5) / 10];
  const rings = polygons.flatMap((r) => r.map(ringPoints)).filter((pts) => pts.length >= 3);
  if (!rings.length) continue;
  const largest = rings.reduce((a, b) => (span(b) > span(a) ? b : a));
  const d = rings.filter((pts) => pts === largest || span(pts) >= 2).map(path).join('');
  countries[code] = d;
}
const out = `// Generated by tools/world-map.mjs from Natural Earth 1:50m (public domain) via world-atlas
// 2.0.2 (ISC); see ui/data/LICENSE-world-map.txt. Do not edit: run the tool again.
export const WORLD = ${JSON.stringify({ width: WIDTH, height: HEIGHT, countries, centres })};
`;
writeFileSync(join(root, 'ui/data/world-map.js'), out);
console.log(`ui/data/world-map.js: ${Object.keys(countries).length} countries drawn, ${Object.keys(centres).length} marked, ${out.length} bytes, ${WIDTH}×${HEIGHT}`);
