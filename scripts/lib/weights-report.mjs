// Reads the JSON results of `btt-node benchmark pallet --json-file` and prints, as Markdown,
// each benchmark's weight as a ratio of a baseline benchmark measured in the same run, and
// for benchmarks with a component the weight at its lowest and highest value.
//
// Usage: node scripts/lib/weights-report.mjs results.json [baseline]
//   baseline  pallet::benchmark, default pallet_balances::transfer_keep_alive
//
// A benchmark named `*::state_size_control` (a plain BTT transfer in the same large state)
// measures how a bigger state slows any storage access; the high/low ratio of the other
// component benchmarks is also shown divided by the control's, which leaves the pallet's own
// growth.
//
// Weight of a run = execution time + reads · 25 µs + writes · 100 µs (the RocksDB weights the
// runtime charges), using the median over the repeats.

import { readFileSync } from 'node:fs';

const [file, baselineName = 'pallet_balances::transfer_keep_alive'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node weights-report.mjs results.json [pallet::benchmark]');
  process.exit(2);
}

// A benchmark that returns `BenchmarkError::Override(Weight::MAX)` (a call no origin may make)
// reports about 1.8e19 ps.
const OVERRIDE_PS = 10n ** 19n;
const READ_PS = 25_000_000n;
const WRITE_PS = 100_000_000n;
const text = (value) => (Array.isArray(value) ? String.fromCharCode(...value) : String(value));

function median (values) {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted[Math.floor(sorted.length / 2)];
}

/** Weight (picoseconds of ref time) of every run, grouped by component values. */
function weightsByComponents (entry) {
  const groups = new Map();
  for (const run of entry.time_results) {
    const key = run.components.map(([name, value]) => `${text(name)}=${value}`).join(',');
    const weight = BigInt(run.extrinsic_time) * 1000n + BigInt(run.reads) * READ_PS + BigInt(run.writes) * WRITE_PS;
    if (!groups.has(key)) groups.set(key, { components: run.components, weights: [] });
    groups.get(key).weights.push(weight);
  }
  return [...groups.values()].map((g) => ({ components: g.components, weight: median(g.weights) }));
}

const results = JSON.parse(readFileSync(file, 'utf8'));
const benchmarks = new Map(results.map((entry) => [`${text(entry.pallet)}::${text(entry.benchmark)}`, weightsByComponents(entry)]));
const baseline = benchmarks.get(baselineName);
if (!baseline) {
  console.error(`baseline ${baselineName} not in ${file}`);
  process.exit(1);
}
const baseWeight = median(baseline.map((g) => g.weight));
const micros = (ps) => (Number(ps) / 1e6).toFixed(1);
const ratio = (ps) => (Number(ps) / Number(baseWeight)).toFixed(2);

console.log(`Baseline \`${baselineName}\`: ${micros(baseWeight)} µs.\n`);

const spread = (groups) => {
  const withComponents = groups.filter((g) => g.components.length > 0);
  const value = (g) => g.components[0][1];
  const low = withComponents.reduce((a, b) => (value(a) <= value(b) ? a : b));
  const high = withComponents.reduce((a, b) => (value(a) >= value(b) ? a : b));
  return { low, high, ratio: Number(high.weight) / Number(low.weight) };
};
const controlName = [...benchmarks.keys()].find((name) => name.endsWith('::state_size_control'));
const control = controlName ? spread(benchmarks.get(controlName)).ratio : null;

console.log('| benchmark | components | weight (µs) | × baseline |');
console.log('| --- | --- | ---: | ---: |');
for (const [name, groups] of benchmarks) {
  if (name === baselineName || name.startsWith('pallet_balances::')) continue;
  if (!groups.some((g) => g.components.length > 0)) {
    const weight = groups[0].weight;
    if (weight >= OVERRIDE_PS) {
      console.log(`| \`${name}\` | | \`Weight::MAX\` (override: no origin may call it) | never in a block |`);
      continue;
    }
    console.log(`| \`${name}\` | | ${micros(weight)} | ${ratio(weight)} |`);
    continue;
  }
  const { low, high, ratio: growth } = spread(groups);
  for (const g of [low, high]) {
    const label = g.components.map(([n, v]) => `${text(n)} = ${v.toLocaleString('en')}`).join(', ');
    console.log(`| \`${name}\` | ${label} | ${micros(g.weight)} | ${ratio(g.weight)} |`);
  }
  const own = control && name !== controlName ? `; ÷ control: **${(growth / control).toFixed(2)}**` : '';
  console.log(`| \`${name}\` | high / low | | **${growth.toFixed(2)}**${own} |`);
}
