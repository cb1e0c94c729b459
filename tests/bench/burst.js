// Burst benchmark of the compute workers (issue 18, "Throughput and deadlines"): real
// `btt-worker` processes beside `btt-node --dev`; a clinic posts a burst of tasks across the
// three urgencies at once, and the script reports, from the chain's own events and block
// timestamps, how long each assignee took from its `TaskAssigned` block to the block holding its
// commitment (p50 / p99 / max, per urgency), and the share of Emergency commitments made inside
// their commit window. It prints figures; it asserts nothing (see docs/performance.md).
//
// Usage (scripts/bench-burst.sh builds what it needs and runs this):
//   node bench/burst.js [--workers 5] [--tasks 50] [--emergency 5] [--priority 15]
//
// Five workers by default, not four: the runtime's Emergency policy draws five assignees of
// distinct operators (a quorum that survives two no-shows), so with four nodes no Emergency task
// can be posted at all.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { startDevNode } from '../lib/node.js';
import {
  describeModel, postImageTasks, registerModelModules, shippedModel, sleep, startWorker,
  waitForRoutable, workerTool
} from '../lib/workers.js';

const UNITS = 10n ** 12n;
// Not Alice (she signs the sudo calls while the workers register) nor Charlie (the clinic): an
// operator's worker signs with its account concurrently with the script.
const OPERATORS = ['//Bob', '//Dave', '//Eve', '//Ferdie', '//Bob//stash', '//Dave//stash', '//Eve//stash'];

const { values: options } = parseArgs({
  options: {
    workers: { type: 'string', default: '5' },
    tasks: { type: 'string', default: '50' },
    emergency: { type: 'string', default: '5' },
    priority: { type: 'string', default: '15' },
    batch: { type: 'string', default: '10' }
  }
});
const count = (name) => Number.parseInt(options[name], 10);

/** The `q`-quantile (0..1) of sorted `values`, nearest rank. */
function quantile (values, q) {
  if (values.length === 0) return NaN;
  const rank = Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1));
  return values[rank];
}

/** The urgencies of the burst, shuffled by a fixed permutation (reproducible). */
function burstUrgencies (total, emergency, priority) {
  const list = [];
  for (let i = 0; i < total; i += 1) list.push(i < emergency ? 'Emergency' : i < emergency + priority ? 'Priority' : 'Routine');
  // A fixed interleaving: stride through the list by a step coprime with its length.
  let step = 7;
  while (total % step === 0 || gcd(total, step) !== 1) step += 1;
  return list.map((_, i) => list[(i * step) % total]);
}

function gcd (a, b) { return b === 0 ? a : gcd(b, a % b); }

async function main () {
  const workerCount = count('workers');
  if (workerCount > OPERATORS.length) throw new Error(`at most ${OPERATORS.length} workers`);
  const dataDir = mkdtempSync(join(tmpdir(), 'btt-bench-burst-'));
  const node = await startDevNode();
  const api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), throwOnConnect: true, noInitWarn: true });
  const workers = [];
  try {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    const [alice, clinic] = ['//Alice', '//Charlie'].map((uri) => keyring.addFromUri(uri));
    const { modules: ids } = describeModel(shippedModel);
    const imageDir = join(dataDir, 'images');
    execFileSync(workerTool('btt-diagnostics'), ['generate', '--out', imageDir, '--count', '10', '--seed', '8589934800', '--format', 'png'], { stdio: 'ignore' });
    const images = readdirSync(imageDir).filter((name) => name.endsWith('.png')).sort().map((name) => join(imageDir, name));
    // Stash accounts beyond the funded dev accounts get their stake from Alice.
    for (const uri of OPERATORS.slice(0, workerCount).filter((u) => u.includes('//stash'))) {
      const account = keyring.addFromUri(uri);
      await new Promise((resolve, reject) => api.tx.balances.transferKeepAlive(account.address, 10_000n * UNITS)
        .signAndSend(alice, ({ status, isError }) => { if (isError) reject(new Error('funding')); if (status.isFinalized) resolve(); }).catch(reject));
    }
    for (let i = 0; i < workerCount; i += 1) {
      workers.push(await startWorker({ name: `worker-${i}`, chain: node.wsUrl, operator: OPERATORS[i], dataDir: join(dataDir, `worker-${i}`), inputDir: imageDir, log: false }));
    }
    await registerModelModules(api, alice, ids);
    await waitForRoutable(api, workers.map((worker) => worker.node));

    const urgencies = burstUrgencies(count('tasks'), count('emergency'), count('priority'));
    const moduleKeys = ['caries', 'periodontal', 'endodontic'];
    const inputs = urgencies.map((urgency, i) => ({
      path: images[i % images.length], module: moduleKeys[i % moduleKeys.length], model: ids[moduleKeys[i % moduleKeys.length]], fee: 30n * UNITS, urgency
    }));
    // The burst: batches of `--batch` tasks, sent at once with consecutive nonces, so that they
    // land in the same block or the next ones.
    const size = count('batch');
    const nonce = (await api.rpc.system.accountNextIndex(clinic.address)).toNumber();
    const batches = [];
    for (let i = 0; i < inputs.length; i += size) batches.push(inputs.slice(i, i + size));
    const posted = (await Promise.all(batches.map((batch, b) => postImageTasks(api, clinic, batch, { nonce: nonce + b })))).flat();
    const byTask = new Map(posted.map((p, i) => [p.task, { ...p, urgency: inputs[i].urgency }]));

    // Follow the finalized blocks until every assignee committed or every deadline passed.
    const firstBlock = Math.min(...posted.map((p) => p.block));
    const commits = [];
    const deadlines = new Map();
    const stamps = new Map();
    const stampOf = async (number) => {
      if (!stamps.has(number)) stamps.set(number, (await (await api.at(await api.rpc.chain.getBlockHash(number))).query.timestamp.now()).toNumber());
      return stamps.get(number);
    };
    for (const p of posted) {
      const status = (await api.call.depinApi.taskStatus(p.task)).toJSON();
      deadlines.set(p.task, status.committing?.deadline ?? null);
    }
    const expected = posted.reduce((sum, p) => sum + p.assignees.length, 0);
    const lastDeadline = Math.max(...[...deadlines.values()].filter((d) => d !== null));
    let next = firstBlock;
    const started = Date.now();
    while (commits.length < expected && next <= lastDeadline + 2 && Date.now() - started < 1_800_000) {
      const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
      if (next > finalized) { await sleep(500); continue; }
      const at = await api.at(await api.rpc.chain.getBlockHash(next));
      for (const { event } of await at.query.system.events()) {
        if (event.section === 'depinRegistry' && event.method === 'ResultCommitted' && byTask.has(event.data.task.toNumber())) {
          commits.push({ task: event.data.task.toNumber(), node: event.data.node.toString(), block: next, at: await stampOf(next) });
        }
      }
      next += 1;
    }

    const rows = [];
    for (const urgency of ['Emergency', 'Priority', 'Routine', 'all']) {
      const tasks = posted.filter((p) => urgency === 'all' || byTask.get(p.task).urgency === urgency);
      if (tasks.length === 0) continue;
      const latencies = [];
      const blocks = [];
      let inWindow = 0;
      let assigneesTotal = 0;
      let fullTasks = 0;
      for (const p of tasks) {
        const assignedAt = await stampOf(p.block);
        const mine = commits.filter((c) => c.task === p.task);
        assigneesTotal += p.assignees.length;
        let all = mine.length === p.assignees.length;
        for (const c of mine) {
          latencies.push(c.at - assignedAt);
          blocks.push(c.block - p.block);
          if (deadlines.get(p.task) !== null && c.block <= deadlines.get(p.task)) inWindow += 1;
          else all = false;
        }
        if (all) fullTasks += 1;
      }
      latencies.sort((a, b) => a - b);
      blocks.sort((a, b) => a - b);
      rows.push({
        urgency, tasks: tasks.length, commitments: `${latencies.length}/${assigneesTotal}`,
        p50_ms: quantile(latencies, 0.5), p99_ms: quantile(latencies, 0.99), max_ms: latencies.at(-1),
        p50_blocks: quantile(blocks, 0.5), p99_blocks: quantile(blocks, 0.99),
        in_window: `${(100 * inWindow / Math.max(1, assigneesTotal)).toFixed(1)} %`,
        tasks_fully_committed_in_window: `${fullTasks}/${tasks.length}`
      });
    }
    const blockMs = (await stampOf(firstBlock + 1)) - (await stampOf(firstBlock));
    // Read now: a worker sets its slots once it has the chain's input policy.
    const computeSlots = await workers[0].status('worker_health').then((health) => health?.computation_slots ?? null).catch(() => null);
    console.log(`workers: ${workerCount} (computation slots each: ${computeSlots ?? 'default'}), tasks: ${posted.length} in ${batches.length} transactions, assigned in blocks ${firstBlock}–${Math.max(...posted.map((p) => p.block))}, block time ${blockMs} ms, CPU: ${cpus()[0]?.model ?? '?'} × ${cpus().length}`);
    console.log('| urgency | tasks | commitments | p50 (ms) | p99 (ms) | max (ms) | p50 (blocks) | p99 (blocks) | commitments inside the window | tasks with every commitment inside |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      console.log(`| ${r.urgency} | ${r.tasks} | ${r.commitments} | ${r.p50_ms} | ${r.p99_ms} | ${r.max_ms} | ${r.p50_blocks} | ${r.p99_blocks} | ${r.in_window} | ${r.tasks_fully_committed_in_window} |`);
    }
    console.log(JSON.stringify({ workers: workerCount, rows }));
  } finally {
    await Promise.all(workers.map((worker) => worker.stop('SIGINT')));
    await api.disconnect();
    await node.stop();
    if (!process.env.BTT_KEEP_NODE_FILES) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
