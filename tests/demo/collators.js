// Collator candidacy on a running dev chain, as operators meet it (docs/collator.md): three
// operators (the //Bob//stash, //Charlie//stash and //Eve//stash accounts) bond, declare
// candidacy and register session keys their node generated with a proof of possession;
// //Dave//stash nominates the smallest; a referendum on the compliance track rates one of them
// (Alice proposes, Alice, Dave and Eve vote; it passes in about 30 blocks). The
// demo prints every candidate's S, H, C and V as the next election will rank them, and the
// block of the next era, when the best are seated beside Alice (the chain-status line then
// names the collators).
//
// Usage: node tests/demo/collators.js [ws://127.0.0.1:9944]

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { propose, voteAll, waitForDecision, waitForEnactment } from '../lib/governance.js';
import { becomeCandidate } from '../lib/scoring.js';
import { FEE_ASSET_TYPES, sendAndFinalize } from '../lib/tx.js';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const UNITS = 10n ** 12n;
const share = (perbill) => (Number(perbill.toBigInt()) / 1e9).toFixed(3);

async function main () {
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, types: FEE_ASSET_TYPES });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const alice = keyring.addFromUri('//Alice');
  const operators = [
    ['Bob//stash', 4_000n],
    ['Charlie//stash', 2_500n],
    ['Eve//stash', 1_500n]
  ].map(([name, bond]) => ({ name, pair: keyring.addFromUri(`//${name}`), bond: bond * UNITS }));
  const names = new Map([[alice.address, 'Alice'], ...operators.map((o) => [o.pair.address, o.name])]);

  for (const { name, pair, bond } of operators) {
    if ((await api.query.staking.bonded(pair.address)).isSome) continue;
    const result = await becomeCandidate(api, pair, bond);
    if (result.error) throw new Error(`${name}'s candidacy: ${result.error}`);
    console.error(`[demo] ${name} bonded ${bond / UNITS} BTT, declared candidacy and registered node-generated session keys`);
  }
  const nominator = keyring.addFromUri('//Dave//stash');
  const smallest = operators[operators.length - 1];
  if ((await api.query.staking.bonded(nominator.address)).isNone) {
    const nominated = await sendAndFinalize(api.tx.utility.batchAll([
      api.tx.staking.bond(3_000n * UNITS, 'Staked'),
      api.tx.staking.nominate([smallest.pair.address])
    ]), nominator);
    if (nominated.error) throw new Error(`the nomination: ${nominated.error}`);
    console.error(`[demo] Dave//stash bonded 3000 BTT and nominates ${smallest.name}`);
  }
  const rated = operators[1];
  if ((await api.query.validatorScoring.ratings(rated.pair.address)).isNone) {
    // Governance, not sudo: a referendum on the compliance track (docs/governance.md).
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const rate = api.tx.validatorScoring.rate(
      rated.pair.address, 900_000_000, blake2AsHex(`compliance audit of ${rated.name}`), now + 100_000
    );
    const { index, number } = await propose(api, alice, { Origins: 'Compliance' }, rate);
    console.error(`[demo] referendum ${index} on the compliance track: rate ${rated.name} 0.9, with the audit report's hash as evidence`);
    const voters = ['Alice', 'Dave', 'Eve'].map((name) => keyring.addFromUri(`//${name}`));
    await voteAll(api, index, voters, { balance: 500_000n * UNITS });
    const decision = await waitForDecision(api, index, { afterNumber: number });
    if (decision.outcome !== 'Confirmed') throw new Error(`the compliance referendum: ${decision.outcome}`);
    const error = await waitForEnactment(api, index, { afterNumber: decision.number });
    if (error) throw new Error(`the rating's enactment: ${error}`);
    console.error(`[demo] Alice, Dave and Eve voted 500,000 BTT each; the referendum passed at block ${decision.number} and the rating is on chain`);
  }

  const scores = await api.call.validatorScoringApi.scores();
  const seats = (await api.query.staking.validatorCount()).toNumber();
  console.error(`[demo] the next election's ranking, V = 0.4·S + 0.35·H + 0.25·C (${seats} seats):`);
  scores.forEach((candidate, index) => {
    const { stake, reliability, compliance } = candidate.inputs;
    const who = names.get(candidate.who.toString()) ?? candidate.who.toString();
    console.error(`[demo]   ${index < seats ? 'seat' : '    '} ${who.padEnd(15)} backing ${(candidate.backing.toBigInt() / UNITS).toString().padStart(6)} BTT  S ${share(stake)}  H ${share(reliability)}  C ${share(compliance)}  V ${share(candidate.score)}${candidate.invulnerable.isTrue ? ' (invulnerable)' : ''}`);
  });
  const session = (await api.query.session.currentIndex()).toNumber();
  const eraStart = (await api.query.staking.erasStartSessionIndex((await api.query.staking.activeEra()).unwrap().index)).unwrap().toNumber();
  const perEra = api.consts.staking.sessionsPerEra.toNumber();
  const blocks = (await api.query.validatorScoring.sessionLength()).unwrapOr(null)?.toNumber();
  const nextEra = eraStart + perEra + (session >= eraStart + perEra - 1 ? perEra : 0);
  console.error(`[demo] they are seated at session ${nextEra}${blocks ? ` (block ${nextEra * blocks})` : ''}; the chain status line names the collators of each era`);
  await api.disconnect();
}

main().catch((error) => {
  console.error(`[demo] collators: ${error.message}`);
  process.exit(1);
});
