// Collators elected by V = 0.4·S + 0.35·H + 0.25·C on btt-node --dev, as collator operators,
// a nominator and the compliance origin meet them through @polkadot/api (docs/collator.md,
// docs/pallets/validator-scoring.md):
// - four candidates each bond, declare candidacy (`staking.validate`) and register session
//   keys that the node generated for them with a proof of possession
//   (`author_rotateKeysWithOwner`), in one batch;
// - Dave bonds and nominates the smallest of them; the compliance origin (sudo) rates two
//   candidates with evidence hashes and expiries;
// - the next election (an era is 6 sessions of 10 blocks on --dev) seats the invulnerable and
//   the best three by V recomputed here from the election block's state (bonds, nominations,
//   slot records, ratings), not the three with the most stake;
// - once that era opens, `session.validators` are those collators, `api.call.validatorScoringApi`
//   scores match the recomputation, and anyone can pay out the ended era.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { startDevNode } from '../lib/node.js';
import { becomeCandidate, comparable, expectedScores, rotateKeysWithOwner, scoreFromChain, waitForEvent } from '../lib/scoring.js';
import { sendAndFinalize } from '../lib/tx.js';

const UNITS = 10n ** 12n;
const PERBILL = 1_000_000_000n;
/** The runtime's `ERA_PAYOUT`. */
const ERA_PAYOUT = 1_000n * UNITS;

describe('validator scoring on btt-node --dev', { timeout: 900_000 }, () => {
  let node, api, alice, dave;
  /** The candidates: own bonds chosen so that stake alone would elect Bob, Charlie and Ferdie. */
  let candidates;
  let setupBlock;
  let election;

  async function send (tx, signer) {
    const result = await sendAndFinalize(tx, signer);
    assert.equal(result.error, null, `${tx.method.section}.${tx.method.method}: ${result.error}`);
    return result;
  }

  before(async () => {
    node = await startDevNode();
    api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), throwOnConnect: true });
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    alice = keyring.addFromUri('//Alice');
    dave = keyring.addFromUri('//Dave');
    candidates = [
      { name: 'Bob', pair: keyring.addFromUri('//Bob'), bond: 5_000n * UNITS },
      { name: 'Charlie', pair: keyring.addFromUri('//Charlie'), bond: 3_000n * UNITS },
      { name: 'Eve', pair: keyring.addFromUri('//Eve'), bond: 2_000n * UNITS },
      { name: 'Ferdie', pair: keyring.addFromUri('//Ferdie'), bond: 1_500n * UNITS }
    ];
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  const named = (name) => candidates.find((c) => c.name === name);

  it('the development genesis: Alice the invulnerable collator, 4 seats, 10-block sessions', async () => {
    assert.deepEqual((await api.query.session.validators()).map(String), [alice.address]);
    assert.deepEqual((await api.query.validatorScoring.invulnerables()).map(String), [alice.address]);
    assert.equal((await api.query.staking.validatorCount()).toNumber(), 4);
    assert.equal((await api.query.validatorScoring.sessionLength()).unwrap().toNumber(), 10);
    assert.equal(api.consts.staking.sessionsPerEra.toNumber(), 6);
    const ledger = (await api.query.staking.ledger(alice.address)).unwrap();
    assert.equal(ledger.active.toBigInt(), 10_000n * UNITS);
  });

  it('four operators bond, validate and set node-generated session keys with a proof', async () => {
    // What an operator runs against its own collator: keys generated in the node's keystore
    // with the proof that they agree to this account registering them.
    const results = await Promise.all(candidates.map(({ pair, bond }) => becomeCandidate(api, pair, bond)));
    assert.deepEqual(results.map((r) => r.error), candidates.map(() => null));
    for (const { pair } of candidates) {
      assert.equal((await api.query.staking.validators.entries()).some(([key]) => key.args[0].toString() === pair.address), true);
      assert.equal((await api.query.session.nextKeys(pair.address)).isSome, true);
    }
  });

  it('a forged proof of possession is refused: session.InvalidProof', async () => {
    const generated = await rotateKeysWithOwner(api, named('Bob').pair.address);
    // Keys generated for Bob, registered by Dave.
    const result = await sendAndFinalize(api.tx.session.setKeys(generated.keys, generated.proof), dave);
    assert.equal(result.error, 'session.InvalidProof');
  });

  it('Dave nominates Ferdie; the compliance origin rates Charlie 0.8 and Eve 1.0', async () => {
    const ferdie = named('Ferdie').pair.address;
    await send(api.tx.utility.batchAll([
      api.tx.staking.bond(4_000n * UNITS, 'Staked'),
      api.tx.staking.nominate([ferdie])
    ]), dave);
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const expires = now + 10_000;
    const rate = (name, percent) => api.tx.validatorScoring.rate(
      named(name).pair.address, Number(PERBILL) / 100 * percent, blake2AsHex(`audit report of ${name}`), expires
    );
    const result = await send(api.tx.sudo.sudo(api.tx.utility.batchAll([rate('Charlie', 80), rate('Eve', 100)])), alice);
    const sudid = result.events.find(({ event }) => event.section === 'sudo' && event.method === 'Sudid');
    assert.equal(sudid.event.data[0].isOk, true);
    const eve = (await api.call.validatorScoringApi.rating(named('Eve').pair.address)).unwrap();
    assert.equal(eve.value.toBigInt(), PERBILL);
    assert.equal(eve.expires.toNumber(), expires);

    // A candidate cannot rate itself.
    const self = await sendAndFinalize(rate('Bob', 100), named('Bob').pair);
    assert.equal(self.error, 'BadOrigin');
    setupBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  });

  it('the next election seats the top 4 by V recomputed from the chain, not by stake', async () => {
    const found = await waitForEvent(api, 'validatorScoring', 'Elected', { afterNumber: setupBlock });
    election = found;
    const expected = await expectedScores(api, found.hash);
    const seats = (await (await api.at(found.hash)).query.staking.validatorCount()).toNumber();
    const elected = (await (await api.at(found.hash)).query.validatorScoring.lastElection()).map(scoreFromChain);
    assert.deepEqual(elected, comparable(expected.slice(0, seats)));
    assert.equal(found.event.data.collators.toNumber(), seats);
    assert.equal(found.event.data.candidates.toNumber(), 5);

    const names = new Map([[alice.address, 'Alice'], ...candidates.map((c) => [c.pair.address, c.name])]);
    const electedNames = elected.map((row) => names.get(row.who));
    console.log(`election at block ${found.number}:`);
    for (const row of expected) {
      console.log(`  ${names.get(row.who).padEnd(8)} backing ${row.backing / UNITS} BTT  S ${row.stake}  H ${row.reliability}  C ${row.compliance}  V ${row.score} (parts per billion)`);
    }
    // Eve (rated 1.0) and Charlie (0.8) outrank Bob's larger bond; Ferdie's nomination
    // carries it past Bob too. Stake alone would have seated Ferdie, Bob and Charlie.
    assert.deepEqual(electedNames, ['Alice', 'Eve', 'Charlie', 'Ferdie']);
  });

  it('the elected collators author from the new era; the scores API matches V', async () => {
    const electedSet = (await (await api.at(election.hash)).query.validatorScoring.lastElection()).map((c) => c.who.toString());
    const eraOpened = await waitForEvent(api, 'staking', 'EraPaid', { afterNumber: election.number });
    const validators = (await (await api.at(eraOpened.hash)).query.session.validators()).map(String);
    assert.deepEqual([...validators].sort(), [...electedSet].sort());

    // Aura hands the slots round the new set: after a rotation each has authored, and
    // staking counts 20 era points per block for it.
    const era = (await (await api.at(eraOpened.hash)).query.staking.activeEra()).unwrap().index.toNumber();
    const rotated = eraOpened.number + validators.length;
    while ((await api.rpc.chain.getHeader()).number.toNumber() < rotated) await new Promise((r) => setTimeout(r, 1000));
    const points = await (await api.at(await api.rpc.chain.getBlockHash(rotated))).query.staking.erasRewardPoints(era);
    const byCollator = new Map([...points.individual.entries()].map(([who, p]) => [who.toString(), p.toNumber()]));
    assert.deepEqual([...byCollator.keys()].sort(), [...electedSet].sort());
    assert.ok([...byCollator.values()].every((p) => p >= 20 && p % 20 === 0), JSON.stringify([...byCollator]));

    // The API at the new era's first block: the new collators have no record yet (the prior).
    const scores = await (await api.at(eraOpened.hash)).call.validatorScoringApi.scores();
    assert.deepEqual(scores.map(scoreFromChain), comparable(await expectedScores(api, eraOpened.hash)));
  });

  it('anyone pays out the ended era: Alice, its only collator then, receives the era payout', async () => {
    const era = (await api.query.staking.activeEra()).unwrap().index.toNumber() - 1;
    const reward = (await api.query.staking.erasValidatorReward(era)).unwrap().toBigInt();
    assert.equal(reward, ERA_PAYOUT);
    const result = await send(api.tx.staking.payoutStakers(alice.address, era), dave);
    const rewarded = result.events
      .filter(({ event }) => event.section === 'staking' && event.method === 'Rewarded')
      .map(({ event }) => ({ stash: event.data.stash.toString(), amount: event.data.amount.toBigInt() }));
    const total = rewarded.reduce((sum, { amount }) => sum + amount, 0n);
    assert.deepEqual([...new Set(rewarded.map(({ stash }) => stash))], [alice.address]);
    assert.ok(total <= ERA_PAYOUT && ERA_PAYOUT - total < UNITS / 1000n, `paid ${total} of ${ERA_PAYOUT}`);
    const again = await sendAndFinalize(api.tx.staking.payoutStakers(alice.address, era), dave);
    assert.equal(again.error, 'staking.AlreadyClaimed');
  });
});
