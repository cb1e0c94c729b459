// The compute workers end to end: four real `btt-worker` processes (subxt, the shipped candle
// model) beside btt-node --dev. They register their nodes through their operators (with the
// node key's proof), diagnose the radiographs a clinic posts, commit and reveal; the chain
// verifies the honest majority, pays it and slashes the --dishonest worker. A real auditor
// (`btt-worker audit`) posts challenge tasks with sealed answers and catches the dishonest
// worker. Bad input becomes an on-chain rejection, inputs are fetched over HTTP as well as from
// files, and a worker killed with SIGKILL between its commit and its reveal reveals after a
// restart.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { startDevNode } from '../lib/node.js';
import {
  awaitConclusions, describeModel, DEV_AUDITOR, dishonestFindings, MODULES, postImageTask,
  postImageTasks, registerModelModules, registryEvents, SCENARIO_WORKERS, scenarioImages, shippedModel, sleep,
  startAuditor, startWorker, waitForRoutable, workerTool
} from '../lib/workers.js';

const UNITS = 10n ** 12n;
const FEE = 30n * UNITS;
const model = process.env.BTT_MODEL ?? shippedModel;

describe('compute workers on btt-node --dev', { timeout: 1_500_000 }, () => {
  let node, api, alice, clinic, auditorAddress, ids, classes, workers, dataDir, images;
  const byName = (name) => workers.find((worker) => worker.name === name);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'btt-e2e-workers-'));
    node = await startDevNode();
    api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), throwOnConnect: true, noInitWarn: true });
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    [alice, clinic] = ['//Alice', '//Charlie'].map((uri) => keyring.addFromUri(uri));
    auditorAddress = keyring.addFromUri(DEV_AUDITOR).address;
    ({ modules: ids, classes } = describeModel(model));
    images = scenarioImages(join(dataDir, 'images'));
  });

  after(async () => {
    await Promise.all((workers ?? []).map((worker) => worker.stop('SIGKILL')));
    await api?.disconnect();
    await node?.stop();
    if (!process.env.BTT_KEEP_NODE_FILES) rmSync(dataDir, { recursive: true, force: true });
  });

  it('workers fund and register their nodes through their operators', { timeout: 240_000 }, async () => {
    workers = [];
    for (const spec of SCENARIO_WORKERS) {
      workers.push(await startWorker({ ...spec, chain: node.wsUrl, model, dataDir: join(dataDir, spec.name), inputDir: join(dataDir, 'images'), log: false }));
    }
    await registerModelModules(api, alice, ids);
    await waitForRoutable(api, workers.map((worker) => worker.node));
    for (const worker of workers) {
      const view = (await api.call.depinApi.node(worker.node)).unwrap();
      assert.equal(view.tier.toString(), 'Consumer');
      // The worker marks itself registered once its own registerNode call returns.
      let health = await worker.status();
      for (let wait = 0; wait < 30 && !health.registered; wait += 1) {
        await sleep(1000);
        health = await worker.status();
      }
      assert.equal(health.registered, true, `${worker.name} does not see its registration`);
      assert.equal(health.dishonest, worker.dishonest);
      const models = await worker.status('worker_models');
      assert.ok(Object.keys(models).includes(ids.caries), `${worker.name} does not list the caries model id`);
    }
  });

  it('an auditor\'s challenge tasks catch the worker that answers a constant; honest workers pass them', { timeout: 900_000 }, async () => {
    const dishonest = byName('worker-ferdie');
    const record = async (worker) => (await api.call.depinApi.node(worker.node)).unwrap().record;
    const before = new Map();
    for (const worker of workers) before.set(worker.node, await record(worker));
    const fromBlock = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    // Modules with three classes, where the shipped model's answers are mostly not the
    // dishonest constant; a fixed seed makes the images reproducible (tests only).
    const auditor = await startAuditor({
      chain: node.wsUrl, dataDir: join(dataDir, 'auditor'), count: 4, every: 1, maxOpen: 4,
      modules: ['periodontal', 'orthodontic'], seed: 8589935000, fee: FEE, exitWhenDone: true, log: false
    });
    const exit = await auditor.wait();
    assert.deepEqual(exit, { code: 0, signal: null }, `auditor log: ${auditor.logPath}`);
    const posted = auditor.lines.filter((line) => line.event === 'posted');
    const audited = auditor.lines.filter((line) => line.event === 'audited');
    assert.equal(posted.length, 4, JSON.stringify(auditor.lines));
    assert.equal(audited.length, 4, JSON.stringify(auditor.lines));
    const summary = auditor.lines.find((line) => line.event === 'summary');
    assert.deepEqual(summary.outcomes, { passed: 4 });

    const events = await registryEvents(api, posted.map((p) => p.task), { fromBlock });
    const posters = new Set();
    const passed = new Map();
    const failed = new Map();
    const count = (map, node) => map.set(node, (map.get(node) ?? 0) + 1);
    let caught = 0;
    for (const challenge of posted) {
      const mine = events.filter((e) => e.event.data.task.toNumber() === challenge.task);
      const only = (method) => {
        const found = mine.filter((e) => e.method === method);
        assert.equal(found.length, 1, `task ${challenge.task}: one ${method} in ${JSON.stringify(mine.map((e) => e.method))}`);
        return found[0].event.data;
      };
      // On chain it is an ordinary task posted by an account of its own.
      const taskPosted = only('TaskPosted');
      assert.notEqual(taskPosted.clinic.toString(), auditorAddress);
      assert.equal(taskPosted.clinic.toString(), challenge.poster);
      posters.add(challenge.poster);
      assert.equal(taskPosted.fee.toBigInt(), FEE);
      assert.match(challenge.uri, /^http:\/\/127\.0\.0\.1:\d+\/radiographs\/[0-9a-f]{32}\.(png|dcm)$/);
      // The honest quorum revealed the sealed answer; the auditor opened the seal and was paid back.
      assert.equal(only('TaskVerified').findings.toHex(), challenge.expected, `task ${challenge.task}`);
      const audit = only('ChallengeAudited');
      assert.equal(audit.auditor.toString(), auditorAddress);
      assert.equal(audit.outcome.toString(), 'Passed');
      assert.equal(audit.reimbursed.toBigInt(), FEE);
      const constant = dishonestFindings(challenge.module, classes);
      const isCaught = challenge.assignees.includes(dishonest.node) && challenge.expected !== constant;
      const penalties = mine.filter((e) => e.method === 'NodePenalized').map((e) => [e.event.data.node.toString(), e.event.data.offence.toString()]);
      assert.deepEqual(penalties, isCaught ? [[dishonest.node, 'Minority']] : [], `task ${challenge.task}: penalties`);
      const line = audited.find((a) => a.task === challenge.task);
      assert.equal(line.outcome, 'Passed');
      assert.deepEqual(line.missed, isCaught ? [dishonest.node] : []);
      assert.deepEqual([...line.matched].sort(), challenge.assignees.filter((a) => !isCaught || a !== dishonest.node).sort());
      for (const assignee of challenge.assignees) count(assignee === dishonest.node && isCaught ? failed : passed, assignee);
      if (isCaught) caught += 1;
    }
    assert.equal(posters.size, posted.length, 'a fresh posting account per challenge');
    assert.ok(caught > 0, `the dishonest worker was never assigned a challenge it could miss: ${JSON.stringify(posted)}`);
    // Each assignee's node record counts the challenges it passed and failed.
    for (const worker of workers) {
      const [was, now] = [before.get(worker.node), await record(worker)];
      assert.equal(now.challengesPassed.toNumber() - was.challengesPassed.toNumber(), passed.get(worker.node) ?? 0, `${worker.name} challengesPassed`);
      assert.equal(now.challengesFailed.toNumber() - was.challengesFailed.toNumber(), failed.get(worker.node) ?? 0, `${worker.name} challengesFailed`);
    }
    assert.ok((await record(dishonest)).challengesFailed.toNumber() > 0);
    for (const worker of workers.filter((w) => !w.dishonest)) assert.equal((await record(worker)).challengesFailed.toNumber(), 0, worker.name);
    const summaryNode = summary.nodes.find((n) => n.node === dishonest.node);
    assert.equal(summaryNode.missed, caught);
    assert.equal(summaryNode.challengesFailed, (await record(dishonest)).challengesFailed.toNumber());
  });

  it('honest workers agree with the CLI, are paid, and the dishonest worker is slashed', { timeout: 900_000 }, async () => {
    const honestInputs = images.tasks.filter((input) => input.truth !== null);
    const dishonest = byName('worker-ferdie');
    const cliOf = new Map();
    const cliFindings = (input) => {
      if (!cliOf.has(input.path + input.module)) {
        cliOf.set(input.path + input.module, JSON.parse(execFileSync(workerTool('btt-diagnostics'),
          ['diagnose', '--model', model, '--module', input.module, input.path], { encoding: 'utf8' })).chain.findings);
      }
      return cliOf.get(input.path + input.module);
    };
    // The --dishonest constant (the module's last class, lowest bucket) can coincide with a
    // weak module's honest answer; then it is in the quorum and paid like the others.
    const agrees = (input) => {
      const moduleIndex = Object.keys(MODULES).indexOf(input.module);
      const constant = `0x0100${[moduleIndex, classes[input.module].length - 1, 0].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
      return cliFindings(input) === constant;
    };
    let slashed = 0;
    const postAndCheck = async (inputs) => {
      const posted = [];
      for (const input of inputs) {
        posted.push({ ...input, ...await postImageTask(api, clinic, { ...input, model: ids[input.module], fee: FEE }) });
      }
      const outcomes = await awaitConclusions(api, posted.map((p) => p.task), { fromBlock: posted[0].block });
      for (const outcome of outcomes) {
        const input = posted.find((p) => p.task === outcome.task);
        assert.equal(outcome.verdict.kind, 'TaskVerified', `task ${outcome.task}: ${JSON.stringify(outcome.verdict.data)}`);
        // The chain's verified findings are what the diagnostics CLI computes for the same file.
        assert.equal(outcome.verdict.event.data.findings.toHex(), cliFindings(input), `task ${outcome.task} findings`);
        const paid = input.assignees.filter((a) => a !== dishonest.node || agrees(input));
        assert.deepEqual(outcome.fees.map((fee) => fee.node).sort(), [...paid].sort(), `task ${outcome.task}: fees`);
        if (input.assignees.includes(dishonest.node) && !agrees(input)) {
          assert.deepEqual(outcome.penalties.map((p) => [p.node, p.offence]), [[dishonest.node, 'Minority']]);
          slashed += 1;
        } else {
          assert.deepEqual(outcome.penalties, []);
        }
        for (const worker of workers.filter((w) => paid.includes(w.node) && !w.dishonest)) {
          const reports = join(worker.dataDir, 'reports', `task-${outcome.task}`);
          const report = JSON.parse(readFileSync(join(reports, 'report.fhir.json'), 'utf8'));
          assert.equal(report.resourceType, 'DiagnosticReport');
          assert.equal(report.subject, undefined, 'no patient reference unless the clinic gives one');
          assert.deepEqual([...readFileSync(join(reports, 'overlay.png')).subarray(1, 4)], [0x50, 0x4e, 0x47]);
        }
      }
    };
    await postAndCheck(honestInputs);
    // Routing draws 3 of 4 operators per task: if the draw never gave the dishonest node a task
    // whose honest answer differs from its constant, post those inputs again until it does, so
    // the slash is always exercised.
    const disagreeing = honestInputs.filter((input) => !agrees(input));
    assert.ok(disagreeing.length > 0, 'some sample differs from the dishonest constant');
    for (let round = 0; slashed === 0 && round < 5; round += 1) await postAndCheck(disagreeing);
    assert.ok(slashed > 0, 'the dishonest worker was assigned a task it answered wrongly, and slashed');
    const metrics = await (await fetch(byName('worker-bob').metricsUrl)).text();
    assert.match(metrics, /btt_worker_reveals_total [1-9]/);
  });

  it('unreadable input and a hash mismatch become on-chain rejections; no worker crashes', { timeout: 600_000 }, async () => {
    const truncated = images.tasks.find((input) => input.truth === null);
    const png = images.tasks[0];
    const bad = [
      { ...truncated, expect: 'InputUnreadable' },
      { ...png, inputHash: blake2AsHex('not the posted image', 256), expect: 'InputHashMismatch' }
    ];
    const posted = [];
    for (const input of bad) {
      posted.push({ ...input, ...await postImageTask(api, clinic, { ...input, model: ids[input.module], fee: FEE }) });
    }
    const outcomes = await awaitConclusions(api, posted.map((p) => p.task), { fromBlock: posted[0].block });
    for (const outcome of outcomes) {
      const input = posted.find((p) => p.task === outcome.task);
      assert.equal(outcome.verdict.kind, 'TaskRejected', JSON.stringify(outcome.verdict.data));
      assert.equal(outcome.verdict.data.fault, input.expect);
    }
    for (const worker of workers) assert.equal(worker.exited, null, `${worker.name} exited`);
  });

  it('inputs over HTTP: a served radiograph is diagnosed like its file, committed while a slow input is still being fetched; a 404, a closed port and a slow drip are InputUnreachable', { timeout: 600_000 }, async () => {
    const served = images.tasks.find((input) => input.truth !== null && input.path.endsWith('.png'));
    const requests = [];
    const drips = [];
    const server = createServer((request, response) => {
      requests.push(request.url);
      if (request.url === '/radiographs/slow.png') {
        // One byte every half second of a body said to be the whole image: each attempt lasts
        // the chain's attempt timeout.
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(readFileSync(served.path).length) });
        const timer = setInterval(() => response.write(Buffer.from([0])), 500);
        drips.push(timer);
        response.once('close', () => clearInterval(timer));
        return;
      }
      if (request.url !== '/radiographs/served.png') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'image/png' }).end(readFileSync(served.path));
    });
    const listen = (s) => new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s.address().port)));
    const close = (s) => new Promise((resolve) => s.close(resolve));
    const port = await listen(server);
    // A port that was just free: nothing listens there once the probe server is closed.
    const probe = createServer();
    const closedPort = await listen(probe);
    await close(probe);
    try {
      // In one transaction, so that all are assigned in the same block; the slow input first,
      // so that a worker computing tasks one after another would start with it.
      const inputs = [
        { ...served, inputUri: `http://127.0.0.1:${port}/radiographs/slow.png`, urgency: 'Priority', expect: 'InputUnreachable' },
        { ...served, inputUri: `http://127.0.0.1:${port}/radiographs/served.png`, expect: 'TaskVerified' },
        // Workers retry an unreachable input until shortly before the commit deadline (the
        // chain's InputPolicy): Priority keeps that to a 2-minute phase.
        { ...served, inputUri: `http://127.0.0.1:${port}/radiographs/missing.png`, urgency: 'Priority', expect: 'InputUnreachable' },
        { ...served, inputUri: `http://127.0.0.1:${closedPort}/radiographs/served.png`, urgency: 'Priority', expect: 'InputUnreachable' }
      ];
      const tasks = await postImageTasks(api, clinic, inputs.map((input) => ({ ...input, model: ids[input.module], fee: FEE })));
      const posted = inputs.map((input, i) => ({ ...input, ...tasks[i] }));
      const assignedAt = (await (await api.at(await api.rpc.chain.getBlockHash(posted[0].block))).query.timestamp.now()).toNumber();
      const outcomes = await awaitConclusions(api, posted.map((p) => p.task), { fromBlock: posted[0].block });
      const cli = JSON.parse(execFileSync(workerTool('btt-diagnostics'),
        ['diagnose', '--model', model, '--module', served.module, served.path], { encoding: 'utf8' }));
      for (const outcome of outcomes) {
        const input = posted.find((p) => p.task === outcome.task);
        if (input.expect === 'TaskVerified') {
          assert.equal(outcome.verdict.kind, 'TaskVerified', JSON.stringify(outcome.verdict.data));
          assert.equal(outcome.verdict.event.data.findings.toHex(), cli.chain.findings, 'the served bytes are the file');
        } else {
          assert.equal(outcome.verdict.kind, 'TaskRejected', JSON.stringify(outcome.verdict.data));
          assert.equal(outcome.verdict.data.fault, input.expect);
        }
      }
      // Every node paid for the served task fetched it from the server. Not every assignee: the
      // --dishonest worker, when assigned, answers its constant without fetching and is slashed.
      const servedTask = posted.find((p) => p.expect === 'TaskVerified');
      const servedOutcome = outcomes.find((outcome) => outcome.task === servedTask.task);
      const fetched = requests.filter((url) => url === '/radiographs/served.png').length;
      // The 404 was retried (with back-off) before the quorum reported it unreachable.
      const missingTask = posted.find((p) => p.inputUri.endsWith('/missing.png'));
      const missingOutcome = outcomes.find((outcome) => outcome.task === missingTask.task);
      const missingRequests = requests.filter((url) => url === '/radiographs/missing.png').length;
      assert.ok(missingRequests >= 2 * missingOutcome.fees.length,
        `${missingRequests} requests of the missing image by ${missingOutcome.fees.length} paid nodes`);
      assert.ok(servedOutcome.fees.length >= 2, `a quorum was paid: ${servedOutcome.fees.map((fee) => fee.node).join(', ')}`);
      assert.ok(fetched >= servedOutcome.fees.length,
        `${fetched} requests for ${servedOutcome.fees.length} paid nodes (penalties: ${servedOutcome.penalties.map((p) => `${p.node} ${p.offence}`).join(', ')})`);
      // Workers compute concurrently: a worker assigned both commits the served task before its
      // first attempt at the slow input can have ended (the chain's attempt timeout), by the
      // chain's own block timestamps.
      const slowTask = posted.find((p) => p.inputUri.endsWith('/slow.png'));
      const attemptMs = api.consts.depinRegistry.inputPolicy.attemptTimeoutMs.toNumber();
      const both = servedOutcome.fees.map((fee) => fee.node).filter((n) => slowTask.assignees.includes(n));
      assert.ok(both.length >= 1, `a paid node of the served task was also assigned the slow one: ${slowTask.assignees.join(', ')}`);
      for (const paid of both) {
        const commit = servedOutcome.commits.find((c) => c.node === paid);
        assert.ok(commit.at - assignedAt < attemptMs,
          `${paid} committed the served task ${commit.at - assignedAt} ms after its assignment, not within one ${attemptMs} ms attempt at the slow input`);
      }
      assert.ok(requests.filter((url) => url === '/radiographs/slow.png').length >= 2, 'the slow input was fetched, and retried');
    } finally {
      for (const timer of drips) clearInterval(timer);
      server.closeAllConnections();
      await close(server);
    }
    for (const worker of workers) assert.equal(worker.exited, null, `${worker.name} exited`);
  });

  it('a worker killed between commit and reveal reveals after its restart', { timeout: 600_000 }, async () => {
    const victim = byName('worker-bob');
    const others = workers.filter((worker) => worker !== victim);
    // Hold the other workers so that the task stays in its commit phase.
    for (const worker of others) worker.child.kill('SIGSTOP');
    let posted;
    try {
      for (let attempt = 0; attempt < 6 && !posted; attempt += 1) {
        const input = images.tasks[1];
        const candidate = await postImageTask(api, clinic, { ...input, model: ids[input.module], fee: FEE });
        if (candidate.assignees.includes(victim.node)) posted = candidate;
      }
      assert.ok(posted, 'the victim was never assigned');
      for (;;) {
        const task = (await api.call.depinApi.task(posted.task)).unwrap();
        const ours = task.assignees.find((a) => a.node.toString() === victim.node);
        if (ours.commitment.isSome) break;
        await sleep(500);
      }
      await victim.stop('SIGKILL');
    } finally {
      for (const worker of others) worker.child.kill('SIGCONT');
    }
    // The others commit, the reveal phase starts, and the victim is still down.
    for (;;) {
      const status = (await api.call.depinApi.taskStatus(posted.task)).toJSON();
      if (status.revealing || status.verified || status.failed) break;
      await sleep(1000);
    }
    await victim.start();
    const [outcome] = await awaitConclusions(api, [posted.task], { fromBlock: posted.block });
    assert.equal(outcome.verdict.kind, 'TaskVerified', JSON.stringify(outcome.verdict.data));
    assert.ok(outcome.fees.some((fee) => fee.node === victim.node), 'the restarted worker revealed and was paid');
    assert.ok(!outcome.penalties.some((p) => p.node === victim.node), 'the restarted worker was not a no-show');
    assert.ok(existsSync(join(victim.dataDir, 'state.redb')));
  });
});
