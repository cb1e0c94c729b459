// The validator score V = w_S·S + w_H·H + w_C·C recomputed from a block's state, in the
// runtime's fixed point (Perbill, every product and quotient rounding down), from staking's
// bonds and nominations, session keys, the slot records and the ratings: independent of the
// pallet's code (docs/pallets/validator-scoring.md "The score"); and a collator operator's
// candidacy as docs/collator.md describes it.

import { u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';

import { sendAndFinalize } from './tx.js';

export const PERBILL = 1_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;

/** `p / q` as Perbill parts, rounding down, at most one; 0 when `q` is 0. */
export function perbillOf (p, q) {
  if (q === 0n) return 0n;
  return (p < q ? p : q) * PERBILL / q;
}

/** A Perbill times a Perbill, rounding down. */
function mul (a, b) {
  return a * b / PERBILL;
}

/** Staking's `U128CurrencyToVote`: a balance in vote units at the given issuance. */
export function toVote (balance, issuance) {
  const factor = issuance / U64_MAX;
  return balance / (factor > 0n ? factor : 1n);
}

/** V from the weights and the inputs `{ stake, reliability, compliance }`, all Perbill parts. */
export function scoreOf (weights, inputs) {
  const v = mul(weights.stake, inputs.stake) + mul(weights.reliability, inputs.reliability) +
    mul(weights.compliance, inputs.compliance);
  return v < PERBILL ? v : PERBILL;
}

/** The election's order: higher V, then larger backing, then the lower account (its bytes). */
function rank (a, b) {
  if (a.score !== b.score) return a.score > b.score ? -1 : 1;
  if (a.backing !== b.backing) return a.backing > b.backing ? -1 : 1;
  return Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes));
}

/**
 * Every candidate with session keys scored from the state at `hash`, ranked as the election
 * ranks them (invulnerables first): `[{ who, backing, stake, reliability, compliance, score,
 * invulnerable }]`, Perbill values as BigInt parts.
 */
export async function expectedScores (api, hash) {
  const at = await api.at(hash);
  const [issuance, header, session, weights, invulnerableList, validators, nominators] = await Promise.all([
    at.query.balances.totalIssuance(),
    api.rpc.chain.getHeader(hash),
    at.query.session.currentIndex(),
    at.query.validatorScoring.weights(),
    at.query.validatorScoring.invulnerables(),
    at.query.staking.validators.entries(),
    at.query.staking.nominators.entries()
  ]);
  const now = header.number.toBigInt();
  const window = BigInt(api.consts.validatorScoring.reliabilityWindow.toString());
  const prior = api.consts.validatorScoring.newCandidateReliability.toBigInt();
  const unrated = api.consts.validatorScoring.unratedCompliance.toBigInt();
  const w = {
    stake: weights.stake.toBigInt(),
    reliability: weights.reliability.toBigInt(),
    compliance: weights.compliance.toBigInt()
  };

  const activeBond = async (stash) => {
    const controller = (await at.query.staking.bonded(stash)).unwrapOr(stash);
    const ledger = await at.query.staking.ledger(controller);
    return ledger.isSome ? toVote(ledger.unwrap().active.toBigInt(), issuance.toBigInt()) : 0n;
  };

  // Approval backing: each validator's self-vote, and each nominator's whole vote for every
  // target it names (once per target).
  const backing = new Map();
  for (const [key] of validators) {
    const stash = key.args[0].toString();
    backing.set(stash, await activeBond(stash));
  }
  for (const [key, nominations] of nominators) {
    const weight = await activeBond(key.args[0].toString());
    const targets = new Set(nominations.unwrap().targets.map((t) => t.toString()));
    for (const target of targets) {
      if (backing.has(target)) backing.set(target, backing.get(target) + weight);
    }
  }
  const largest = [...backing.values()].reduce((a, b) => (a > b ? a : b), 0n);
  const invulnerables = invulnerableList.map((who) => who.toString());

  const scoreOfAccount = async (who, invulnerable) => {
    const records = (await at.query.validatorScoring.history(who))
      .filter((record) => BigInt(record.session.toNumber()) >= BigInt(session.toNumber()) - window);
    const authored = records.reduce((sum, record) => sum + BigInt(record.authored.toNumber()), 0n);
    const expected = records.reduce((sum, record) => sum + BigInt(record.expected.toNumber()), 0n);
    const rating = await at.query.validatorScoring.ratings(who);
    const inForce = rating.isSome && now < rating.unwrap().expires.toBigInt();
    const inputs = {
      stake: perbillOf(backing.get(who) ?? 0n, largest),
      reliability: expected === 0n ? prior : perbillOf(authored, expected),
      compliance: inForce ? rating.unwrap().value.toBigInt() : unrated
    };
    return {
      who,
      bytes: api.createType('AccountId', who).toU8a(),
      backing: backing.get(who) ?? 0n,
      ...inputs,
      score: scoreOf(w, inputs),
      invulnerable
    };
  };
  const hasKeys = async (who) => (await at.query.session.nextKeys(who)).isSome;

  const ranked = [];
  for (const who of invulnerables) {
    if (await hasKeys(who)) ranked.push(await scoreOfAccount(who, true));
  }
  const others = [];
  for (const who of backing.keys()) {
    if (!invulnerables.includes(who) && await hasKeys(who)) others.push(await scoreOfAccount(who, false));
  }
  others.sort(rank);
  return [...ranked, ...others];
}

/** A `CandidateScore` from the runtime API or storage in the shape of `expectedScores`. */
export function scoreFromChain (candidate) {
  return {
    who: candidate.who.toString(),
    backing: candidate.backing.toBigInt(),
    stake: candidate.inputs.stake.toBigInt(),
    reliability: candidate.inputs.reliability.toBigInt(),
    compliance: candidate.inputs.compliance.toBigInt(),
    score: candidate.score.toBigInt(),
    invulnerable: candidate.invulnerable.isTrue
  };
}

/** `expectedScores` rows without the encoding used for ranking (to compare with the chain's). */
export function comparable (rows) {
  return rows.map(({ bytes, ...row }) => row);
}

/**
 * Waits for the first finalized block after `afterNumber` with an event `section.method`,
 * looking at every block in turn (and, with `where`, for which `where(event)` holds); resolves
 * `{ hash, number, event }`.
 */
export function waitForEvent (api, section, method, { afterNumber = 0, timeoutMs = 600_000, where = () => true } = {}) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    let next = afterNumber + 1;
    let scanning = Promise.resolve();
    let done = false;
    const finish = (outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`no ${section}.${method} event within ${timeoutMs} ms`))), timeoutMs);
    const scanTo = async (number) => {
      while (!done && next <= number) {
        const hash = await api.rpc.chain.getBlockHash(next);
        const events = await (await api.at(hash)).query.system.events();
        const found = events.find(({ event }) => event.section === section && event.method === method && where(event));
        if (found) {
          const at = next;
          finish(() => resolve({ hash, number: at, event: found.event }));
        }
        next += 1;
      }
    };
    api.rpc.chain.subscribeFinalizedHeads((header) => {
      scanning = scanning.then(() => scanTo(header.number.toNumber())).catch((error) => finish(() => reject(error)));
    }).then((unsub) => {
      unsubscribe = unsub;
      if (done) unsub();
    }, reject);
  });
}

/**
 * Session keys for `account`, generated in the node's keystore with their proof of possession
 * (`author_rotateKeysWithOwner`, an unsafe RPC method: the operator's own node): `{ keys, proof }`.
 */
export function rotateKeysWithOwner (api, account) {
  return api._rpcCore.provider.send('author_rotateKeysWithOwner', [u8aToHex(decodeAddress(account))]);
}

/**
 * Makes `pair` a collator candidate in one batch: bonds `bond` (rewards restaked), declares
 * candidacy with no commission and registers node-generated session keys. Resolves
 * `sendAndFinalize`'s result.
 */
export async function becomeCandidate (api, pair, bond) {
  const generated = await rotateKeysWithOwner(api, pair.address);
  if (!generated.proof) throw new Error('the runtime generated no proof of possession for the session keys');
  return sendAndFinalize(api.tx.utility.batchAll([
    api.tx.staking.bond(bond, 'Staked'),
    api.tx.staking.validate({ commission: 0, blocked: false }),
    api.tx.session.setKeys(generated.keys, generated.proof)
  ]), pair);
}
