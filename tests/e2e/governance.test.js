// OpenGov on btt-node --dev, as a proposer, BTT voters and the technical fellowship use it
// through @polkadot/api (docs/governance.md). The development genesis runs the tracks at the
// development pace (a referendum decides within 24 blocks):
// - a root referendum: preimage, submission, decision deposit, votes with conviction from
//   several accounts; it passes its decision and confirmation and the scheduler enacts it;
// - the compliance track rates a collator (`validatorScoring.rate`); the same call on the
//   rewards track is refused at enactment (`BadOrigin`): each admin call has its own track;
// - the fellowship whitelists a call by its own referendum and the whitelisted-caller track
//   dispatches it as root;
// - the small-spender track spends from the treasury to the patient-reward pot, paid out by
//   anyone once due.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';

import { propose, send, voteAll, waitForDecision, waitForEnactment } from '../lib/governance.js';
import { startDevNode } from '../lib/node.js';
import { waitForEvent } from '../lib/scoring.js';
import { sendAndFinalize } from '../lib/tx.js';

const UNITS = 10n ** 12n;
/** What each voter puts behind its vote: most of a development account's 1,000,000 BTT. */
const VOTE = 900_000n * UNITS;

/** The account of a FRAME `PalletId`: "modl" ‖ the 8-byte id, zero-padded to 32 bytes. */
function palletAccount (api, id) {
  return encodeAddress(u8aConcat(stringToU8a(`modl${id}`), new Uint8Array(20)), api.registry.chainSS58);
}


describe('governance on btt-node --dev', { timeout: 900_000 }, () => {
  let node, api, keyring, alice, bob, charlie, dave, eve, ferdie;

  before(async () => {
    node = await startDevNode();
    api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), throwOnConnect: true });
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']
      .map((name) => keyring.addFromUri(`//${name}`));
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  it('the development genesis: OpenGov tracks at the development pace, a seeded fellowship', async () => {
    // Track names are fixed-width: trailing NULs pad them.
    const tracks = api.consts.referenda.tracks.map(([id, info]) => [id.toNumber(), info.name.toString().replace(/[\0\s]+$/, ''), info.decisionPeriod.toNumber()]);
    const names = tracks.map(([, name]) => name);
    for (const name of ['root', 'whitelisted_caller', 'staking_admin', 'treasurer', 'small_spender', 'compliance', 'clinical_models', 'payments', 'rewards']) {
      assert.ok(names.includes(name), `${name} in ${names}`);
    }
    assert.ok(tracks.every(([, , decision]) => decision === 24), JSON.stringify(tracks));
    assert.equal((await api.query.origins.trackPace()).toString(), 'Development');
    const ranks = await Promise.all([alice, bob, charlie, dave].map(async (pair) => {
      const member = await api.query.fellowship.members(pair.address);
      return member.isSome ? member.unwrap().rank.toNumber() : null;
    }));
    assert.deepEqual(ranks, [3, 2, 1, null]);
  });

  it('a root referendum passes by conviction votes and the scheduler enacts it', async () => {
    const before = (await api.query.staking.validatorCount()).toNumber();
    const call = api.tx.staking.setValidatorCount(before + 2);
    const { index, number } = await propose(api, alice, { system: 'Root' }, call);
    const info = (await api.query.referenda.referendumInfoFor(index)).unwrap();
    assert.ok(info.isOngoing);
    assert.equal(info.asOngoing.track.toNumber(), 0);
    assert.ok(info.asOngoing.decisionDeposit.isSome, 'the decision deposit is placed');
    await voteAll(api, index, [alice, bob, charlie], { balance: VOTE, conviction: 'Locked1x' });
    await voteAll(api, index, [dave, eve, ferdie], { balance: VOTE, conviction: 'Locked3x' });
    const decision = await waitForDecision(api, index, { afterNumber: number });
    assert.equal(decision.outcome, 'Confirmed');
    assert.equal(await waitForEnactment(api, index, { afterNumber: decision.number }), null);
    assert.equal((await api.query.staking.validatorCount()).toNumber(), before + 2);
    // The votes' balance stays locked by conviction voting.
    const locks = await api.query.balances.locks(dave.address);
    assert.ok(locks.some((lock) => lock.id.toHuman() === 'pyconvot' && lock.amount.toBigInt() === VOTE), locks.toString());
  });

  it('the compliance track rates a collator; the rewards track may not', async () => {
    const evidence = `0x${'ab'.repeat(32)}`;
    const rate = api.tx.validatorScoring.rate(bob.address, 900_000_000, evidence, 1_000_000);
    const own = await propose(api, alice, { Origins: 'Compliance' }, rate);
    const wrong = await propose(api, charlie, { Origins: 'Rewards' }, rate);
    // One referendum after the other: a voter's two votes need consecutive nonces.
    for (const { index } of [own, wrong]) await voteAll(api, index, [alice, bob, charlie, dave], { balance: VOTE });
    const [ownDecision, wrongDecision] = await Promise.all([own, wrong].map(({ index, number }) =>
      waitForDecision(api, index, { afterNumber: number })));
    assert.equal(ownDecision.outcome, 'Confirmed');
    assert.equal(wrongDecision.outcome, 'Confirmed');
    // Both pass their votes; only the compliance track's origin may rate.
    const [ownResult, wrongResult] = await Promise.all([[own, ownDecision], [wrong, wrongDecision]].map(([{ index }, { number }]) =>
      waitForEnactment(api, index, { afterNumber: number })));
    assert.equal(ownResult, null);
    assert.equal(wrongResult, 'BadOrigin');
    const rating = await api.query.validatorScoring.ratings(bob.address);
    assert.ok(rating.isSome);
    assert.equal(rating.unwrap().value.toNumber(), 900_000_000);
    assert.equal(rating.unwrap().evidence.toHex(), evidence);
  });

  it('the fellowship whitelists a call and the whitelisted-caller track dispatches it as root', async () => {
    const before = (await api.query.staking.validatorCount()).toNumber();
    const urgent = api.tx.staking.setValidatorCount(before + 1);
    const whitelist = api.tx.whitelist.whitelistCall(urgent.method.hash);
    const submitted = await send(api.tx.utility.batchAll([
      api.tx.fellowshipReferenda.submit({ Origins: 'Fellows' }, { Inline: whitelist.method.toHex() }, { After: 1 }),
      api.tx.fellowshipReferenda.placeDecisionDeposit((await api.query.fellowshipReferenda.referendumCount()).toNumber())
    ]), charlie);
    const record = submitted.events.find(({ event }) => event.section === 'fellowshipReferenda' && event.method === 'Submitted');
    const fellowshipIndex = record.event.data.index.toNumber();
    // Dave is no fellow.
    const refused = await sendAndFinalize(api.tx.fellowship.vote(fellowshipIndex, true), dave);
    assert.equal(refused.error, 'fellowship.NotMember');
    await Promise.all([alice, bob].map((fellow) => send(api.tx.fellowship.vote(fellowshipIndex, true), fellow)));
    const whitelisted = await waitForEvent(api, 'whitelist', 'CallWhitelisted', { timeoutMs: 180_000 });
    assert.equal(whitelisted.event.data.callHash.toHex(), urgent.method.hash.toHex());

    const dispatch = api.tx.whitelist.dispatchWhitelistedCallWithPreimage(urgent.method);
    const { index, number } = await propose(api, alice, { Origins: 'WhitelistedCaller' }, dispatch);
    assert.equal((await api.query.referenda.referendumInfoFor(index)).unwrap().asOngoing.track.toNumber(), 1);
    await voteAll(api, index, [alice, bob, charlie, dave], { balance: VOTE });
    const decision = await waitForDecision(api, index, { afterNumber: number });
    assert.equal(decision.outcome, 'Confirmed');
    await waitForEvent(api, 'whitelist', 'WhitelistedCallDispatched', { afterNumber: decision.number, timeoutMs: 120_000 });
    assert.equal((await api.query.staking.validatorCount()).toNumber(), before + 1);
  });

  it('the small-spender track refills the patient-reward pot from the treasury', async () => {
    const patientPot = palletAccount(api, 'btt/rwrd');
    const treasury = palletAccount(api, 'py/trsry');
    // Fees have accumulated in the treasury.
    await send(api.tx.balances.transferKeepAlive(treasury, 50_000n * UNITS), eve);
    const amount = 5_000n * UNITS;
    const spend = api.tx.treasury.spend(null, amount, patientPot, null);
    const { index, number } = await propose(api, alice, { Origins: 'SmallSpender' }, spend);
    await voteAll(api, index, [alice, bob, charlie, dave], { balance: VOTE });
    const decision = await waitForDecision(api, index, { afterNumber: number });
    assert.equal(decision.outcome, 'Confirmed');
    const approved = await waitForEvent(api, 'treasury', 'AssetSpendApproved', { afterNumber: decision.number, timeoutMs: 120_000 });
    const spendIndex = approved.event.data.index.toNumber();
    const potBefore = (await api.query.system.account(patientPot)).data.free.toBigInt();
    await send(api.tx.treasury.payout(spendIndex), ferdie);
    const potAfter = (await api.query.system.account(patientPot)).data.free.toBigInt();
    assert.equal(potAfter - potBefore, amount);
  });
});
