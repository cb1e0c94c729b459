// Governance the way a proposer, voters and the fellowship use it from polkadot.js
// (docs/governance.md): a preimage, a referendum on a track with its decision deposit, votes
// with conviction, and the scheduler's enactment.

import assert from 'node:assert/strict';

import { compactAddLength, stringToU8a, u8aConcat, u8aToHex, u8aToU8a } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

import { waitForEvent } from './scoring.js';
import { sendAndFinalize } from './tx.js';

/** Sends `tx` from `signer`, failing the test if its dispatch failed; returns the result. */
export async function send (tx, signer) {
  const result = await sendAndFinalize(tx, signer);
  assert.equal(result.error, null, `${tx.method.section}.${tx.method.method}: ${result.error}`);
  return result;
}

/** The `index` field of the first `section.Submitted` event of a result. */
function submittedIndex (result, section) {
  const record = result.events.find(({ event }) => event.section === section && event.method === 'Submitted');
  assert.ok(record, `no ${section}.Submitted event`);
  return record.event.data.index.toNumber();
}

/**
 * Notes `call`'s preimage, submits it as a public referendum for `origin` (e.g.
 * `{ system: 'Root' }`, `{ Origins: 'Compliance' }`) to be enacted one block after it passes,
 * and places the decision deposit, all in one batch from `proposer`. Resolves
 * `{ index, number }`: the referendum and the block it was submitted in.
 */
export async function propose (api, proposer, origin, call) {
  // A preimage is noted once; another referendum on the same call reuses it.
  const noted = (await api.query.preimage.requestStatusFor(call.method.hash)).isSome;
  const result = await send(api.tx.utility.batchAll([
    ...(noted ? [] : [api.tx.preimage.notePreimage(call.method.toHex())]),
    api.tx.referenda.submit(origin, { Lookup: { hash: call.method.hash, len: call.method.encodedLength } }, { After: 1 }),
    // The index is the referendum count before this batch: the batch is atomic.
    api.tx.referenda.placeDecisionDeposit((await api.query.referenda.referendumCount()).toNumber())
  ]), proposer);
  const header = await api.rpc.chain.getHeader(result.blockHash);
  return { index: submittedIndex(result, 'referenda'), number: header.number.toNumber() };
}

/** Each of `voters` votes aye (or nay) with `balance` on public referendum `index`. */
export async function voteAll (api, index, voters, { aye = true, balance, conviction = 'Locked1x' }) {
  const results = await Promise.all(voters.map((voter) =>
    sendAndFinalize(api.tx.convictionVoting.vote(index, { Standard: { vote: { aye, conviction }, balance } }), voter)));
  assert.deepEqual(results.map((r) => r.error), voters.map(() => null));
}

/**
 * Waits until public (or, with `section: 'fellowshipReferenda'`, fellowship) referendum
 * `index` ends; resolves `{ outcome, number }`, the outcome `Confirmed` (it passed) or
 * `Rejected`/`TimedOut`/… .
 */
export async function waitForDecision (api, index, { afterNumber, section = 'referenda', timeoutMs = 300_000 }) {
  const ended = ['Confirmed', 'Rejected', 'TimedOut', 'Cancelled', 'Killed'];
  const found = await Promise.any(ended.map((method) =>
    waitForEvent(api, section, method, { afterNumber, timeoutMs, where: (event) => event.data.index.toNumber() === index })
      .then(({ number }) => ({ outcome: method, number }))));
  return found;
}

/**
 * The scheduler's name of public referendum `index`'s enactment, as pallet-referenda builds
 * it: blake2-256 of the SCALE encoding of `(*b"assembly", "enactment", index)`. (Its alarms
 * are anonymous scheduler tasks: only this name tells the enactment apart.)
 */
export function enactmentTask (index) {
  const number = new Uint8Array(4);
  new DataView(number.buffer).setUint32(0, index, true);
  return u8aToHex(blake2AsU8a(u8aConcat(stringToU8a('assembly'), compactAddLength(stringToU8a('enactment')), number), 256));
}

/**
 * Waits for the scheduler's dispatch of public referendum `index`'s call after `afterNumber`;
 * resolves the dispatch's result as `null` (success) or its error: `section.name` for a
 * pallet's error, else the error's kind (`BadOrigin`).
 */
export async function waitForEnactment (api, index, { afterNumber, timeoutMs = 120_000 }) {
  const task = enactmentTask(index);
  const { event } = await waitForEvent(api, 'scheduler', 'Dispatched', {
    afterNumber,
    timeoutMs,
    where: (e) => e.data.id.isSome && u8aToHex(u8aToU8a(e.data.id.unwrap())) === task
  });
  const result = event.data.result;
  if (result.isOk) return null;
  const error = result.asErr;
  if (error.isModule) {
    const { section, name } = api.registry.findMetaError(error.asModule);
    return `${section}.${name}`;
  }
  return error.type;
}
