// The DePIN proof of completed compute on btt-node --dev through @polkadot/api: three
// operators (Alice, Bob, Charlie) register compute nodes, governance registers a model, a
// clinic (Dave) posts a radiograph task with its fee in escrow, the three nodes commit to
// their result and reveal it, and the chain verifies the result by quorum and pays the nodes.
// The commitment is computed here exactly as a worker computes it
// (btt_primitives::depin::commitment): blake2-256 of the SCALE-encoded preimage.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { stringToU8a } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { commitmentOf, diagnosisOf, modelIdOf, registerConsumerNode, saltOf } from '../lib/depin.js';
import { startDevNode } from '../lib/node.js';
import { sendAndFinalize } from '../lib/tx.js';

const UNITS = 10n ** 12n;
const FEE = 30n * UNITS;
const STAKE = 1_000n * UNITS;
const NATIVE = { Native: null };

describe('DePIN registry on btt-node --dev', { timeout: 900_000 }, () => {
  let node, api;
  let operators, clinic, alice;
  const model = modelIdOf('btt-caries-cnn-v1.safetensors');
  const input = blake2AsHex(stringToU8a('periapical radiograph #1'), 256);
  let task;

  async function ok (tx, signer) {
    const outcome = await sendAndFinalize(tx, signer);
    assert.equal(outcome.error, null, `${tx.method.section}.${tx.method.method} failed: ${outcome.error}`);
    return outcome;
  }

  const diagnosis = () => diagnosisOf(api, [1, 3]);
  const salt = (who) => saltOf(who.address, task);
  const commitment = (who) => commitmentOf(api, { task, model, input, node: who.address, diagnosis: diagnosis(), salt: salt(who) });

  before(async () => {
    node = await startDevNode();
    api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), throwOnConnect: true });
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    const [a, b, c, d] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri));
    operators = [a, b, c];
    alice = a;
    clinic = d;
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  it('three operators register nodes; governance registers the model', { timeout: 180_000 }, async () => {
    for (const operator of operators) {
      const { events } = await ok(registerConsumerNode(api, operator, STAKE), operator);
      assert.ok(events.some(({ event }) => api.events.depinRegistry.NodeRegistered.is(event)));
      const view = await api.call.depinApi.node(operator.address);
      assert.ok(view.isSome);
      assert.equal(view.unwrap().routable.isTrue, true);
    }
    const denied = await sendAndFinalize(api.tx.depinRegistry.registerModel(model, 'CariesDetection', 1, 1), clinic);
    assert.equal(denied.error, 'BadOrigin');
    await ok(api.tx.sudo.sudo(api.tx.depinRegistry.registerModel(model, 'CariesDetection', 1, 1)), alice);
  });

  it('a clinic posts a task: the fee is escrowed and three nodes of distinct operators are assigned', { timeout: 120_000 }, async () => {
    const before = (await api.query.system.account(clinic.address)).data.free.toBigInt();
    const { events } = await ok(api.tx.depinRegistry.postTask({
      module: 'CariesDetection',
      model,
      inputHash: input,
      inputUri: 'https://clinic.example/radiographs/1.png',
      urgency: 'Routine',
      minTier: 'Consumer',
      region: null
    }, NATIVE, FEE), clinic);
    const posted = events.find(({ event }) => api.events.depinRegistry.TaskPosted.is(event));
    task = posted.event.data.task.toNumber();
    const assigned = events.find(({ event }) => api.events.depinRegistry.TaskAssigned.is(event));
    const assignees = assigned.event.data.assignees.map((a) => a.toString()).sort();
    assert.deepEqual(assignees, operators.map((o) => o.address).sort());
    const after = (await api.query.system.account(clinic.address)).data.free.toBigInt();
    assert.ok(before - after >= FEE, 'the fee left the clinic');
    const escrowed = await api.query.depinRegistry.escrowedFees(NATIVE);
    assert.equal(escrowed.toBigInt(), FEE);
    for (const operator of operators) {
      const tasks = await api.call.depinApi.nodeTasks(operator.address);
      assert.deepEqual(tasks.map((t) => t.toNumber()), [task]);
    }
    const status = await api.call.depinApi.taskStatus(task);
    assert.ok(status.isCommitting);
  });

  it('the nodes commit (a copied commitment is refused), reveal, and the task is verified and paid', { timeout: 240_000 }, async () => {
    const [first, second, third] = operators;
    await ok(api.tx.depinRegistry.commitResult(task, commitment(first)), first);
    const copied = await sendAndFinalize(api.tx.depinRegistry.commitResult(task, commitment(first)), second);
    assert.equal(copied.error, 'depinRegistry.DuplicateCommitment');
    await ok(api.tx.depinRegistry.commitResult(task, commitment(second)), second);
    await ok(api.tx.depinRegistry.commitResult(task, commitment(third)), third);
    assert.ok((await api.call.depinApi.taskStatus(task)).isRevealing);

    // Revealing another node's salt does not open one's own commitment.
    const stolen = await sendAndFinalize(api.tx.depinRegistry.revealResult(task, diagnosis(), salt(first)), second);
    assert.equal(stolen.error, 'depinRegistry.CommitmentMismatch');

    const balances = async () => Promise.all(operators.map(async (o) =>
      (await api.query.system.account(o.address)).data.free.toBigInt()));
    const before = await balances();
    await ok(api.tx.depinRegistry.revealResult(task, diagnosis(), salt(first)), first);
    await ok(api.tx.depinRegistry.revealResult(task, diagnosis(), salt(second)), second);
    const { events } = await ok(api.tx.depinRegistry.revealResult(task, diagnosis(), salt(third)), third);

    const verified = events.find(({ event }) => api.events.depinRegistry.TaskVerified.is(event));
    assert.ok(verified, 'TaskVerified emitted');
    assert.deepEqual([...verified.event.data.findings.toU8a(true)], [1, 3]);
    // C = 0.6·(0.9·0.8) + 0.4·1·(1 − 0.1) = 0.792
    assert.equal(verified.event.data.confidence.toNumber(), 792_000);
    const paid = events.filter(({ event }) => api.events.depinRegistry.FeePaid.is(event));
    assert.equal(paid.length, 3);
    assert.equal(paid.reduce((sum, { event }) => sum + event.data.amount.toBigInt(), 0n), FEE);

    const after = await balances();
    for (let i = 0; i < 3; i++) {
      // A third of the fee, less at most one transaction fee.
      assert.ok(after[i] - before[i] > FEE / 3n - UNITS, `${operators[i].address} was paid`);
    }
    const status = await api.call.depinApi.taskStatus(task);
    assert.ok(status.isVerified);
    assert.equal(status.asVerified.overturned.isFalse, true);
    const result = await api.call.depinApi.taskResult(task);
    assert.ok(result.unwrap().isVerified);
    assert.equal((await api.query.depinRegistry.escrowedFees(NATIVE)).toBigInt(), 0n);
    for (const operator of operators) {
      const view = (await api.call.depinApi.node(operator.address)).unwrap();
      assert.equal(view.record.tasksOk.toNumber(), 1);
      assert.equal(view.openTasks.toNumber(), 0);
    }
  });
});
