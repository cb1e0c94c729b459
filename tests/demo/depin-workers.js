// The DePIN demo with real workers: four `btt-worker` processes (Bob, Dave and Eve honest,
// Ferdie's in the --dishonest test mode) register their nodes; governance (Alice, sudo)
// registers the shipped model's modules; the development auditor (`//Alice//stash`) starts
// `btt-worker audit`, which posts challenge tasks with sealed answers from fresh accounts;
// Charlie, a clinic, posts five radiographs (PNG and DICOM from the synthetic test split, and
// one file cut short). The script prints how each task ended, where the FHIR report and overlay
// are, the fees paid and the penalties, then each challenge's audit (which nodes matched the
// sealed answer) and the nodes' challenge records, and leaves the workers and the auditor
// running for tasks posted from polkadot.js apps until Ctrl-C.
//
// Usage: node tests/demo/depin-workers.js [ws://127.0.0.1:9944] [data dir]
//   BTT_MODEL        model file (default: the shipped offchain-workers/models/btt-dental-tiny-v1)
//   BTT_CHALLENGES   challenge tasks the auditor posts (default 3; 0: no auditor)

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import {
  awaitConclusions, describeFindings, describeModel, postImageTask, registerModelModules,
  SCENARIO_WORKERS, scenarioImages, shippedModel, startAuditor, startWorker, waitForRoutable
} from '../lib/workers.js';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const dataDir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'btt-workers-'));
const model = process.env.BTT_MODEL ?? shippedModel;
const challenges = Number(process.env.BTT_CHALLENGES ?? 3);
const UNITS = 10n ** 12n;
const say = (line) => console.error(`[demo] ${line}`);
const btt = (plancks) => `${(Number(plancks) / 1e12).toFixed(3)} BTT`;

async function main () {
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const [alice, clinic] = ['//Alice', '//Charlie'].map((uri) => keyring.addFromUri(uri));
  const { modules: ids, classes } = describeModel(model);

  say(`starting ${SCENARIO_WORKERS.length} workers (data in ${dataDir})`);
  const workers = [];
  for (const spec of SCENARIO_WORKERS) {
    workers.push(await startWorker({ ...spec, chain: url, model, dataDir: join(dataDir, spec.name), inputDir: join(dataDir, 'images'), log: false }));
  }
  let auditor = null;
  const stopAll = async () => { await Promise.all([...workers, ...(auditor ? [auditor] : [])].map((child) => child.stop())); };
  process.on('SIGINT', () => stopAll().then(() => process.exit(0)));
  process.on('SIGTERM', () => stopAll().then(() => process.exit(0)));
  const nameOf = new Map(workers.map((worker) => [worker.node, worker.name]));
  for (const worker of workers) say(`${worker.name}: node ${worker.node}${worker.dishonest ? ' (dishonest test mode)' : ''}, log ${worker.logPath}`);

  await registerModelModules(api, alice, ids);
  say('governance registered the model for its five modules');
  await waitForRoutable(api, workers.map((worker) => worker.node));
  say('the workers funded, registered and announced their nodes');

  if (challenges > 0) {
    auditor = await startAuditor({ chain: url, dataDir: join(dataDir, 'auditor'), model, count: challenges, every: 3, maxOpen: 2, log: false });
    say(`the auditor (//Alice//stash) posts ${challenges} challenge tasks from fresh accounts, serving their images at ${auditor.imageBase}; log ${auditor.logPath}`);
  }

  const { tasks: inputs } = scenarioImages(join(dataDir, 'images'));
  const posted = [];
  for (const input of inputs) {
    const { task, assignees, block } = await postImageTask(api, clinic, { ...input, model: ids[input.module], fee: 30n * UNITS });
    posted.push({ ...input, task, assignees, block });
    say(`Charlie posted task ${task} (${input.module}, ${input.path.split('/').pop()}), assigned to ${assignees.map((a) => nameOf.get(a) ?? a).join(', ')}`);
  }

  const outcomes = await awaitConclusions(api, posted.map((p) => p.task), { fromBlock: posted[0].block });
  for (const outcome of outcomes) {
    const input = posted.find((p) => p.task === outcome.task);
    const { kind, data } = outcome.verdict;
    say(`task ${outcome.task} (${input.module}): ${kind}`);
    if (kind === 'TaskVerified') {
      say(`  verified finding: ${describeFindings(outcome.verdict.event.data.findings.toHex(), classes)}; ground truth: ${classes[input.module][input.truth]}; confidence ${data.confidence}, agreement ${data.agreement}`);
      const honest = workers.find((w) => !w.dishonest && input.assignees.includes(w.node));
      if (honest) {
        say(`  FHIR report: ${join(honest.dataDir, 'reports', `task-${outcome.task}`, 'report.fhir.json')}`);
        say(`  overlay:     ${join(honest.dataDir, 'reports', `task-${outcome.task}`, 'overlay.png')}`);
      }
    } else {
      say(`  ${JSON.stringify(data)}`);
    }
    for (const fee of outcome.fees) say(`  fee paid: ${btt(fee.amount)} for ${nameOf.get(fee.node) ?? fee.node}`);
    for (const penalty of outcome.penalties) say(`  penalty: ${nameOf.get(penalty.node) ?? penalty.node} ${penalty.offence}, slashed ${btt(penalty.slashed)}`);
  }
  if (auditor) {
    const named = (nodes) => nodes.map((node) => nameOf.get(node) ?? node).join(', ') || 'none';
    for (let number = 1; number <= challenges; number += 1) {
      const line = await auditor.waitFor((l) => (l.event === 'audited' || l.event === 'expired') && l.challenge === number);
      if (line.event === 'expired') {
        say(`challenge ${number} (task ${line.task}): expired: ${line.reason}`);
        continue;
      }
      const reimbursed = line.reimbursed === null ? 'unknown' : btt(BigInt(line.reimbursed));
      say(`challenge ${number} (task ${line.task}, ${line.module}): ${line.outcome}; sealed answer ${describeFindings(line.expected, classes)}; fee reimbursed ${reimbursed}`);
      say(`  matched the sealed answer: ${named(line.matched)}; missed it: ${named(line.missed)}`);
    }
    for (const worker of workers) {
      const { record } = (await api.call.depinApi.node(worker.node)).unwrap();
      say(`${worker.name}: challenges passed ${record.challengesPassed}, failed ${record.challengesFailed}`);
    }
  }
  say('the workers keep serving tasks posted from polkadot.js apps; Ctrl-C stops them');
}

main().catch((error) => {
  say(error.stack ?? error.message);
  process.exit(1);
});
