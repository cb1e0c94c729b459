// The DePIN proof of completed compute on btt-node --dev through @polkadot/api: three
// operators (Alice, Bob, Charlie) register compute nodes, each signed by its node key (a
// front-runner's registration is refused), governance registers a model, a clinic (Dave)
// posts a radiograph task with its fee in escrow (only in a listed currency), the three nodes
// commit to their result and reveal it, the chain verifies the result by quorum and pays the
// nodes, and draws its spot check blocks later. Then the dev auditor (//Alice//stash) posts a
// challenge from a fresh account, sealed, and opens the seal after the nodes reveal.
// Meanwhile a patient (Eve) pays the clinic for the read through a PayFi escrow that only the
// chain's verification of that task releases; an escrow to another payee naming the same task
// stays pending.
// Commitments and seals are computed here exactly as a worker and an auditor compute them
// (btt_primitives::depin::commitment, challenge_seal): blake2-256 of the SCALE-encoded preimage.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { stringToU8a } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';

import { challengeSealOf, commitmentOf, diagnosisOf, modelIdOf, nodeKeyProof, registerConsumerNode, saltOf } from '../lib/depin.js';
import { startDevNode } from '../lib/node.js';
import { billingCode, chainDay } from '../lib/payfi.js';
import { sendAndFinalize } from '../lib/tx.js';

const UNITS = 10n ** 12n;
const FEE = 30n * UNITS;
const STAKE = 1_000n * UNITS;
const NATIVE = { Native: null };

describe('DePIN registry on btt-node --dev', { timeout: 900_000 }, () => {
  let node, api;
  let operators, clinic, alice, auditor, keyring, patient;
  const escrows = {};
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
    keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    const [a, b, c, d] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri));
    operators = [a, b, c];
    alice = a;
    clinic = d;
    auditor = keyring.addFromUri('//Alice//stash');
    patient = keyring.addFromUri('//Eve');
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  it('three operators register nodes; governance registers the model', { timeout: 180_000 }, async () => {
    // Bob saw Alice's registration and front-runs it with her key under his account.
    const [a, b] = operators;
    const stolen = await sendAndFinalize(api.tx.depinRegistry.registerNode(
      a.address, 'Consumer', { gpuMemoryGb: 8, benchmarkScore: 300, powerWatts: 300 }, 'Europe', 0b11111, STAKE,
      nodeKeyProof(api, a, a.address)), b);
    assert.equal(stolen.error, 'depinRegistry.BadKeyProof');
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
    const spec = {
      module: 'CariesDetection',
      model,
      inputHash: input,
      inputUri: 'https://clinic.example/radiographs/1.png',
      urgency: 'Routine',
      minTier: 'Consumer',
      region: null,
      reference: blake2AsHex(stringToU8a('clinic order 1'), 256)
    };
    // Fees only in currencies governance listed.
    const unlisted = await sendAndFinalize(api.tx.depinRegistry.postTask(spec, { WithId: 1984 }, FEE), clinic);
    assert.equal(unlisted.error, 'depinRegistry.CurrencyNotAccepted');
    const { events } = await ok(api.tx.depinRegistry.postTask(spec, NATIVE, FEE), clinic);
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

  it('a patient pays the clinic for the read in escrow, released only by this task\'s verification', { timeout: 120_000 }, async () => {
    await ok(api.tx.payfi.registerPayee(10), clinic);
    const other = operators[2];
    await ok(api.tx.payfi.registerPayee(10), other);
    const day = await chainDay(api);
    const code = billingCode({ procedures: ['D0999'], claim: 'AI-READ-1', patient: 'MRN-90', day, salt: 'depin-e2e' });
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const escrow = (payee) => api.tx.payfi.escrow(payee.address, NATIVE, 20n * UNITS, [{ TaskVerified: task }], now + 600, code);
    const idOf = ({ events }) => events.find(({ event }) => api.events.payfi.Escrowed.is(event)).event.data.id.toNumber();
    escrows.clinic = idOf(await ok(escrow(clinic), patient));
    // Another payee names the clinic's task: the verification it waits for is not its own.
    escrows.other = idOf(await ok(escrow(other), patient));
    const early = await sendAndFinalize(api.tx.payfi.settleEscrow(escrows.clinic), clinic);
    assert.equal(early.error, 'payfi.EscrowPending', 'nothing is released before the task is verified');
    assert.equal((await api.query.payfi.awaitedTasks(task)).unwrap().waiting.toNumber(), 2);
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
    assert.ok(result.unwrap().asVerified.review.isAwaitingDraw, 'the spot check is drawn later, not by the last reveal');
  });

  it('the verified task releases the patient\'s escrow to the clinic, and only to the clinic', { timeout: 120_000 }, async () => {
    const awaited = (await api.query.payfi.awaitedTasks(task)).unwrap();
    assert.equal(awaited.verified.unwrap()[0].toString(), clinic.address, 'verified, with its poster');
    const before = (await api.query.system.account(clinic.address)).data.free.toBigInt();
    const { events } = await ok(api.tx.payfi.settleEscrow(escrows.clinic), patient);
    const settled = events.find(({ event }) => api.events.payfi.EscrowSettled.is(event)).event.data;
    assert.equal(settled.toPayee[0].toString(), clinic.address);
    assert.equal(settled.toPayee[1].toBigInt(), 20n * UNITS);
    assert.equal((await api.query.system.account(clinic.address)).data.free.toBigInt(), before + 20n * UNITS);
    const statement = (await api.call.payfiApi.statement(clinic.address, await chainDay(api), await chainDay(api))).unwrap();
    assert.equal(statement.filter(([, , record]) => record.escrow.unwrapOr(null)?.toNumber() === escrows.clinic).length, 1, 'one line of the statement');
    const other = await sendAndFinalize(api.tx.payfi.settleEscrow(escrows.other), operators[2]);
    assert.equal(other.error, 'payfi.EscrowPending', 'a payee cannot borrow another clinic\'s verification');
  });

  it('the spot-check draw comes blocks after the conclusion', { timeout: 120_000 }, async () => {
    // Three operators only: a drawn spot check finds no other operators and is skipped.
    const deadline = Date.now() + 90_000;
    let review;
    do {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      review = (await api.call.depinApi.taskResult(task)).unwrap().asVerified.review;
    } while (review.isAwaitingDraw && Date.now() < deadline);
    assert.ok(review.isSettled, `settled, not ${review.type}`);
    for (const operator of operators) {
      const view = (await api.call.depinApi.node(operator.address)).unwrap();
      assert.equal(view.pendingReviews.toNumber(), 0, 'the review no longer holds the stake');
    }
  });

  it('an auditor posts a sealed challenge from a fresh account and opens the seal after the nodes reveal', { timeout: 300_000 }, async () => {
    const poster = keyring.addFromUri('//challenge-poster-1');
    await ok(api.tx.balances.transferKeepAlive(poster.address, 100n * UNITS), auditor);
    const challengeInput = blake2AsHex(stringToU8a('synthetic challenge radiograph #1'), 256);
    const findings = [1, 3];
    const sealSalt = blake2AsU8a(stringToU8a('auditor salt 1'), 256);
    const reference = challengeSealOf(api, { auditor: auditor.address, model, input: challengeInput, findings, salt: sealSalt });
    const { events } = await ok(api.tx.depinRegistry.postTask({
      module: 'CariesDetection',
      model,
      inputHash: challengeInput,
      inputUri: 'https://auditor.example/c/1.png',
      urgency: 'Routine',
      minTier: 'Consumer',
      region: null,
      reference
    }, NATIVE, FEE), poster);
    const challenge = events.find(({ event }) => api.events.depinRegistry.TaskPosted.is(event)).event.data.task.toNumber();
    const open = (await api.call.depinApi.task(challenge)).unwrap();
    assert.equal(open.clinic.toString(), poster.address, 'posted like any clinic task');

    const salt = (who) => saltOf(who.address, challenge);
    const sealedDiagnosis = () => diagnosisOf(api, findings);
    for (const operator of operators) {
      await ok(api.tx.depinRegistry.commitResult(challenge, commitmentOf(api, {
        task: challenge, model, input: challengeInput, node: operator.address, diagnosis: sealedDiagnosis(), salt: salt(operator)
      })), operator);
    }
    for (const operator of operators) {
      await ok(api.tx.depinRegistry.revealResult(challenge, sealedDiagnosis(), salt(operator)), operator);
    }
    const denied = await sendAndFinalize(api.tx.depinRegistry.revealChallenge(challenge, findings, sealSalt), poster);
    assert.equal(denied.error, 'depinRegistry.NotAuditor');
    const before = (await api.query.system.account(auditor.address)).data.free.toBigInt();
    const audited = await ok(api.tx.depinRegistry.revealChallenge(challenge, findings, sealSalt), auditor);
    const event = audited.events.find(({ event }) => api.events.depinRegistry.ChallengeAudited.is(event));
    assert.ok(event, 'ChallengeAudited emitted');
    assert.equal(event.event.data.outcome.type, 'Passed');
    assert.equal(event.event.data.reimbursed.toBigInt(), FEE);
    const after = (await api.query.system.account(auditor.address)).data.free.toBigInt();
    assert.ok(after > before, 'the reward pot reimbursed the fee');
    for (const operator of operators) {
      const view = (await api.call.depinApi.node(operator.address)).unwrap();
      assert.equal(view.record.challengesPassed.toNumber(), 1);
    }
  });
});
