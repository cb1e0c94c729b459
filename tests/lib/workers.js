// Real `btt-worker` processes beside a dev node, and a clinic's side of a diagnostic task:
// register the model's module ids (sudo), post radiographs as tasks, collect how each ended.
// Shared by the end-to-end test and the dev demo (tests/demo/depin-workers.js).

import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { blake2AsHex, randomAsHex } from '@polkadot/util-crypto';

import { freePort } from './node.js';
import { sendAndFinalize } from './tx.js';

const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME ?? '', '.cache/btt/target');
export const repoRoot = resolve(new URL('../..', import.meta.url).pathname);
export const shippedModel = join(repoRoot, 'offchain-workers/models/btt-dental-tiny-v1.safetensors');

/** Path of a binary of the offchain-workers workspace (built by scripts/build-workers.sh). */
export function workerTool (name) {
  const binary = join(targetDir, 'debug', name);
  if (!existsSync(binary)) throw new Error(`${binary} not found: scripts/test.sh and scripts/dev.sh build it (btt_build_workers in scripts/lib/env.sh)`);
  return binary;
}

/** A model file's chain id per module and class names (`btt-diagnostics model-id`). */
export function describeModel (modelPath) {
  return JSON.parse(execFileSync(workerTool('btt-diagnostics'), ['model-id', modelPath], { encoding: 'utf8' }));
}

/** The modules' pallet names, by the keys the tools use. */
export const MODULES = {
  caries: 'CariesDetection',
  periodontal: 'PeriodontalAssessment',
  orthodontic: 'OrthodonticAnalysis',
  endodontic: 'EndodonticPathology',
  oral_pathology: 'OralPathologyScreening'
};

/**
 * Starts a worker: creates its node key (`--print-node`), then runs it with the operator's key
 * so that it funds and registers its node. Resolves once its status API answers.
 *
 * `inputDir` is the one directory whose files `file://` inputs may name (the scenario's
 * images); `allowNetworks` the internal networks it may fetch from (loopback, where the tests
 * and the auditor serve images). A worker given neither fetches public HTTP(S) only.
 */
export async function startWorker ({ name, chain, operator, model = shippedModel, dataDir, inputDir, allowNetworks = ['127.0.0.0/8'], dishonest = false, stake, log = true }) {
  mkdirSync(dataDir, { recursive: true });
  if (inputDir) mkdirSync(inputDir, { recursive: true });
  const binary = workerTool('btt-worker');
  const node = execFileSync(binary, ['--data-dir', dataDir, '--model', model, '--print-node'], { encoding: 'utf8' }).trim();
  const [statusPort, metricsPort] = [await freePort(), await freePort()];
  // The operator's secret URI goes through the environment, never argv (docs/worker.md); the
  // tests read the report files, which a worker writes only with --keep-reports.
  const args = ['--chain', chain, '--data-dir', dataDir, '--model', model, '--keep-reports',
    '--status-listen', `127.0.0.1:${statusPort}`, '--metrics-listen', `127.0.0.1:${metricsPort}`];
  if (inputDir) args.push('--input-dir', inputDir);
  for (const network of allowNetworks) args.push('--allow-network', network);
  if (dishonest) args.push('--dishonest');
  if (stake !== undefined) args.push('--stake', String(stake));
  const logPath = join(dataDir, 'worker.log');
  const worker = {
    name, node, dataDir, logPath, dishonest,
    statusUrl: `http://127.0.0.1:${statusPort}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    child: null,
    exited: null,
    start () {
      const out = createWriteStream(logPath, { flags: 'a' });
      const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info', BTT_OPERATOR_SURI: operator } });
      child.stdout.pipe(out);
      child.stderr.pipe(out);
      if (log) child.stderr.on('data', (chunk) => process.stderr.write(prefixLines(`[${name}] `, chunk.toString())));
      worker.exited = null;
      child.once('exit', (code, signal) => { worker.exited = { code, signal }; out.end(); });
      worker.child = child;
      return worker.waitForStatus();
    },
    async waitForStatus (timeoutMs = 60_000) {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        if (worker.exited) throw new Error(`worker ${name} exited ${JSON.stringify(worker.exited)}; log: ${logPath}`);
        if (await worker.status().catch(() => null)) return worker;
        await sleep(300);
      }
      throw new Error(`worker ${name}'s status API did not answer; log: ${logPath}`);
    },
    async status (method = 'worker_health') {
      const response = await fetch(worker.statusUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 1, jsonrpc: '2.0', method, params: [] })
      });
      return (await response.json()).result;
    },
    /** Stops it like an operator would (SIGINT), or like a crash (`SIGKILL`). */
    async stop (signal = 'SIGINT') {
      if (!worker.child || worker.exited) return;
      const gone = new Promise((resolveExit) => worker.child.once('exit', resolveExit));
      worker.child.kill(signal);
      const timer = setTimeout(() => worker.child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
  };
  process.once('exit', () => worker.child?.kill('SIGKILL'));
  return worker.start();
}

function prefixLines (prefix, text) {
  return text.split('\n').filter((line) => line.length > 0).map((line) => `${prefix}${line}\n`).join('');
}

export const sleep = (ms) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Registers every module id of the model as a model of its module (sudo, one batch). */
export async function registerModelModules (api, sudo, ids) {
  const calls = Object.entries(ids).map(([key, id]) => api.tx.depinRegistry.registerModel(id, MODULES[key], 1, 1));
  const { error } = await sendAndFinalize(api.tx.sudo.sudo(api.tx.utility.batchAll(calls)), sudo);
  if (error) throw new Error(`registering the model: ${error}`);
}

/** Waits until every node key is registered and routable. */
export async function waitForRoutable (api, nodes, timeoutMs = 120_000) {
  const started = Date.now();
  for (;;) {
    const views = await Promise.all(nodes.map((node) => api.call.depinApi.node(node)));
    if (views.every((view) => view.isSome && view.unwrap().routable.isTrue)) return;
    if (Date.now() - started > timeoutMs) throw new Error('workers did not register in time');
    await sleep(1000);
  }
}

/**
 * Posts a radiograph as a task: its blake2-256 hash and a file:// URI (the workers run on this
 * machine). `inputHash` overrides the hash (to post a task whose input does not match),
 * `inputUri` the URI (to serve the file over HTTP). The clinic's reference is 32 random bytes
 * (a real clinic would put the hash of its order number there).
 */
export async function postImageTask (api, clinic, input) {
  const [posted] = await postImageTasks(api, clinic, [input]);
  return posted;
}

/** The `depinRegistry.postTask` call of one input of {@link postImageTask}. */
function postTaskCall (api, { path, module, model, fee, urgency = 'Routine', inputHash, inputUri }) {
  const spec = {
    module: MODULES[module],
    model,
    inputHash: inputHash ?? blake2AsHex(readFileSync(path), 256),
    inputUri: inputUri ?? `file://${resolve(path)}`,
    urgency,
    minTier: 'Consumer',
    region: null,
    reference: randomAsHex(32)
  };
  return api.tx.depinRegistry.postTask(spec, { Native: null }, fee);
}

/**
 * Posts several inputs of {@link postImageTask} in one transaction (`utility.batchAll`), so
 * that they are assigned in the same block, in this order: `[{ task, block, assignees }]`.
 * `options` are the signing options (`{ nonce }` to send several at once).
 */
export async function postImageTasks (api, clinic, inputs, options = {}) {
  const calls = inputs.map((input) => postTaskCall(api, input));
  const tx = calls.length === 1 ? calls[0] : api.tx.utility.batchAll(calls);
  const { error, events, blockHash } = await sendAndFinalize(tx, clinic, options);
  if (error) throw new Error(`posting ${inputs.map((input) => input.path).join(', ')}: ${error}`);
  const block = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  const posted = events.filter(({ event }) => api.events.depinRegistry.TaskPosted.is(event));
  const assigned = events.filter(({ event }) => api.events.depinRegistry.TaskAssigned.is(event));
  return posted.map(({ event }) => {
    const task = event.data.task.toNumber();
    const assignment = assigned.find((a) => a.event.data.task.toNumber() === task);
    return {
      task,
      block,
      assignees: assignment ? assignment.event.data.assignees.map((a) => a.toString()) : []
    };
  });
}

/**
 * Reads every finalized block from `fromBlock` on until every task concluded (verified,
 * rejected or failed), and returns per task: the verdict event, fees paid, penalties and the
 * commitments (`{ node, block, at }`, `at` the block's timestamp in ms).
 */
export async function awaitConclusions (api, tasks, { fromBlock, timeoutMs = 600_000 } = {}) {
  const outcomes = new Map(tasks.map((task) => [task, { task, verdict: null, fees: [], penalties: [], commits: [] }]));
  const started = Date.now();
  let next = fromBlock;
  while ([...outcomes.values()].some((outcome) => !outcome.verdict)) {
    if (Date.now() - started > timeoutMs) {
      const open = [...outcomes.values()].filter((o) => !o.verdict).map((o) => o.task);
      throw new Error(`tasks ${open.join(', ')} did not conclude within ${timeoutMs} ms`);
    }
    const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    if (next > finalized) {
      await sleep(1000);
      continue;
    }
    const at = await api.at(await api.rpc.chain.getBlockHash(next));
    for (const { event } of await at.query.system.events()) {
      if (event.section !== 'depinRegistry' || !event.data.task) continue;
      const outcome = outcomes.get(event.data.task.toNumber());
      if (!outcome) continue;
      switch (event.method) {
        case 'TaskVerified':
        case 'TaskRejected':
        case 'TaskFailed':
          outcome.verdict = { kind: event.method, block: next, data: event.data.toHuman(), event };
          break;
        case 'FeePaid':
          outcome.fees.push({ node: event.data.node.toString(), amount: event.data.amount.toBigInt() });
          break;
        case 'ResultCommitted':
          outcome.commits.push({ node: event.data.node.toString(), block: next, at: (await at.query.timestamp.now()).toNumber() });
          break;
        case 'NodePenalized':
          outcome.penalties.push({ node: event.data.node.toString(), offence: event.data.offence.toString(), slashed: event.data.slashed.toBigInt() });
          break;
        default:
      }
    }
    next += 1;
  }
  return [...outcomes.values()];
}

/** The development chain's auditor (genesis preset): `//Alice//stash`. */
export const DEV_AUDITOR = '//Alice//stash';

/**
 * Starts `btt-worker audit`: it posts `count` challenge tasks (sealed known answers) from fresh
 * posting accounts, serves their images on a free loopback port, and opens the seals once the
 * tasks conclude. Its stdout is one JSON object per line (`posted`, `audited`, `expired`,
 * `summary`), collected in `auditor.lines`; `waitFor(predicate)` resolves with the first line
 * that matches.
 */
export async function startAuditor ({ chain, dataDir, auditor = DEV_AUDITOR, model = shippedModel, count = 3, every = 2, maxOpen = 3, modules = [], seed, fee, exitWhenDone = false, log = true, name = 'auditor' }) {
  mkdirSync(dataDir, { recursive: true });
  const binary = workerTool('btt-worker');
  const port = await freePort();
  const args = ['audit', '--chain', chain, '--data-dir', dataDir, '--model', model,
    '--count', String(count), '--every', String(every), '--max-open', String(maxOpen), '--listen', `127.0.0.1:${port}`];
  for (const module of modules) args.push('--module', module);
  if (seed !== undefined) args.push('--seed', String(seed));
  if (fee !== undefined) args.push('--fee', String(fee));
  if (exitWhenDone) args.push('--exit-when-done');
  const logPath = join(dataDir, 'auditor.log');
  const out = createWriteStream(logPath, { flags: 'a' });
  // The auditor's secret in the environment, never in argv (`btt-worker audit` refuses --auditor).
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info', BTT_AUDITOR_SURI: auditor };
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const waiters = [];
  const handle = {
    name, dataDir, logPath, child, lines: [], exited: null,
    imageBase: `http://127.0.0.1:${port}/radiographs/`,
    /** Resolves with the first stdout line (parsed) for which `predicate` holds. */
    waitFor (predicate, timeoutMs = 600_000) {
      const found = handle.lines.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolveLine, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no matching line within ${timeoutMs} ms; log: ${logPath}`)), timeoutMs);
        waiters.push({ predicate, resolve: (line) => { clearTimeout(timer); resolveLine(line); }, reject: (error) => { clearTimeout(timer); reject(error); } });
      });
    },
    /** Resolves with the exit status once the process ends. */
    wait () {
      if (handle.exited) return Promise.resolve(handle.exited);
      return new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
    },
    async stop (signal = 'SIGINT') {
      if (handle.exited) return;
      const gone = handle.wait();
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
  };
  let pending = '';
  child.stdout.on('data', (chunk) => {
    out.write(chunk);
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop();
    for (const text of complete.filter((line) => line.trim().length > 0)) {
      let line;
      try { line = JSON.parse(text); } catch { continue; }
      handle.lines.push(line);
      for (const waiter of waiters.filter((w) => w.predicate(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.pipe(out);
  if (log) child.stderr.on('data', (chunk) => process.stderr.write(prefixLines(`[${name}] `, chunk.toString())));
  child.once('exit', (code, signal) => {
    handle.exited = { code, signal };
    out.end();
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`${name} exited ${JSON.stringify(handle.exited)}; log: ${logPath}`));
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return handle;
}

/**
 * Every event of the registry from finalized block `fromBlock` through `toBlock` (default: the
 * finalized head) about one of `tasks`: `{ block, method, data, event }`.
 */
export async function registryEvents (api, tasks, { fromBlock, toBlock } = {}) {
  const wanted = new Set(tasks);
  const last = toBlock ?? (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  const found = [];
  for (let number = fromBlock; number <= last; number += 1) {
    const at = await api.at(await api.rpc.chain.getBlockHash(number));
    for (const { event } of await at.query.system.events()) {
      if (event.section !== 'depinRegistry' || !event.data.task || !wanted.has(event.data.task.toNumber())) continue;
      found.push({ block: number, method: event.method, data: event.data.toHuman(), event });
    }
  }
  return found;
}

/** The --dishonest worker's constant findings for a module (scheme btt-q1: last class, bucket 0). */
export function dishonestFindings (module, classes) {
  const moduleIndex = Object.keys(MODULES).indexOf(module);
  return `0x0100${[moduleIndex, classes[module].length - 1, 0].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Findings bytes (scheme btt-q1: id, module, class, bucket) in words, with the model's class names. */
export function describeFindings (findingsHex, classes) {
  const bytes = Buffer.from(findingsHex.replace(/^0x/, ''), 'hex');
  if (bytes.length !== 5) return findingsHex;
  const [, , module, cls, bucket] = bytes;
  const key = Object.keys(MODULES)[module];
  return `${classes?.[key]?.[cls] ?? `class ${cls}`} (confidence bucket ${bucket} of 3)`;
}

/**
 * The dev accounts' roles in the diagnostic scenario. The dishonest worker stakes three times
 * the tier's least stake, so that its first minority slashes (5 % each) leave it above the
 * minimum and it keeps being assigned work (and challenges) until its fifth consecutive
 * failure suspends it.
 */
export const SCENARIO_WORKERS = [
  { name: 'worker-bob', operator: '//Bob' },
  { name: 'worker-dave', operator: '//Dave' },
  { name: 'worker-eve', operator: '//Eve' },
  { name: 'worker-ferdie', operator: '//Ferdie', dishonest: true, stake: 3000n * 10n ** 12n }
];

/**
 * Synthetic radiographs from the held-out test split (`btt-diagnostics generate`), one task per
 * module of interest, as PNG and DICOM, plus one file cut short that no node can read.
 */
export function scenarioImages (dir) {
  execFileSync(workerTool('btt-diagnostics'), ['generate', '--out', dir, '--count', '4', '--seed', '8589934700', '--format', 'both'], { stdio: 'ignore' });
  const cases = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8'));
  const pick = (index, extension) => join(dir, cases[index].files.find((file) => file.endsWith(extension)));
  const truncated = join(dir, 'truncated.dcm');
  writeFileSync(truncated, readFileSync(pick(0, '.dcm')).subarray(0, 700));
  return {
    cases,
    tasks: [
      { path: pick(0, '.png'), module: 'caries', truth: cases[0].labels.caries },
      { path: pick(1, '.dcm'), module: 'periodontal', truth: cases[1].labels.periodontal },
      { path: pick(2, '.png'), module: 'endodontic', truth: cases[2].labels.endodontic },
      { path: pick(3, '.dcm'), module: 'oral_pathology', truth: cases[3].labels.oral_pathology },
      { path: truncated, module: 'caries', truth: null }
    ]
  };
}
