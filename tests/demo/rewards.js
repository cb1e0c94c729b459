// Patient rewards on a running dev chain, told as a patient, its toothbrush and its clinic meet
// them: a new patient consents to Bob's clinic; a simulated connected toothbrush (its own
// sr25519 key) registers to the patient and signs 7 days of hygiene summaries; Bob confirms a
// checkup (D0120) and a 3-stage crown plan (D2740) whose visits it syncs late; the
// development chain's one-minute budget period ends and the patient redeems 50 BTT of its
// rewards at Ferdie's shop (a coded PayFi payment in the shop's statement) and claims the rest.
//
// Usage: node tests/demo/rewards.js [ws://127.0.0.1:9944]

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

import { billingCode, chainDay } from '../lib/payfi.js';
import { DeviceSimulator, rewardEvents } from '../lib/rewards.js';
import { sendAndFinalize } from '../lib/tx.js';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const UNITS = 10n ** 12n;
const PERBILL = 1_000_000_000;

const btt = (amount) => `${(Number(amount) / 1e12).toFixed(2)} BTT`;

async function send (tx, signer, what) {
  const result = await sendAndFinalize(tx, signer);
  if (result.error) throw new Error(`${what}: ${result.error}`);
  return result;
}

function rewarded (result) {
  return rewardEvents(result.events, 'RewardEarned').map((data) => `${data.category.toString()} ${btt(data.reward.toBigInt())}`);
}

async function main () {
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const [alice, bob, ferdie] = ['//Alice', '//Bob', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
  const patient = keyring.addFromMnemonic(mnemonicGenerate());
  const toothbrush = new DeviceSimulator(api, keyring.addFromMnemonic(mnemonicGenerate()));

  await send(api.tx.balances.transferKeepAlive(patient.address, 20n * UNITS), alice, 'funding the patient');
  await send(api.tx.utility.batchAll([
    api.tx.patientRewards.grantConsent(bob.address, 'CheckupConfirmation', null),
    api.tx.patientRewards.grantConsent(bob.address, 'TreatmentPlan', null),
    api.tx.patientRewards.registerDevice(toothbrush.address, toothbrush.registrationProof(patient.address)),
    api.tx.patientRewards.grantConsent(toothbrush.address, 'HygieneData', null)
  ]), patient, 'consents and the toothbrush');
  console.error(`[demo] a new patient ${patient.address} consented to Bob's clinic and registered its toothbrush ${toothbrush.address} (the toothbrush's own key signed the registration)`);

  const today = await chainDay(api);
  const week = Array.from({ length: 7 }, (_, i) => toothbrush.summary(patient.address, {
    day: today - 6 + i, sessions: 2, minutes: 3 + (i % 3), rawData: `brushing log of day ${today - 6 + i}`
  }));
  const hygiene = await send(api.tx.utility.batchAll(week.map(({ summary, signature }) =>
    api.tx.patientRewards.submitHygiene(summary, signature))), patient, 'hygiene summaries');
  console.error(`[demo] 7 days of brushing, each summary signed by the toothbrush and verified on chain: ${rewarded(hygiene).join(', ')}`);

  const checkup = await send(api.tx.patientRewards.confirmCheckup(patient.address, 120, PERBILL, null), bob, 'the checkup');
  console.error(`[demo] Bob's clinic confirmed a checkup (D0120): ${rewarded(checkup).join(', ')}`);
  const recorded = await send(api.tx.patientRewards.recordPlan(patient.address, 2740, 3), bob, 'the plan');
  const plan = rewardEvents(recorded.events, 'PlanRecorded')[0].plan.toNumber();
  const stages = await send(api.tx.utility.batchAll([[today - 2, 100], [today - 1, 90], [today, 80]].map(([day, percent]) =>
    api.tx.patientRewards.confirmStage(plan, percent * PERBILL / 100, day))), bob, 'the plan\'s stages');
  console.error(`[demo] Bob's clinic synced a 3-stage crown plan (D2740, visits on 3 days, quality 100 %, 90 %, 80 %): ${rewarded(stages).join(', ')}`);

  if ((await api.query.patientRewards.merchants(ferdie.address)).isNone) {
    await send(api.tx.sudo.sudo(api.tx.patientRewards.registerMerchant(ferdie.address)), alice, 'the merchant');
  }
  if ((await api.call.payfiApi.payee(ferdie.address)).isNone) {
    await send(api.tx.payfi.registerPayee(16), ferdie, 'the shop\'s payee record');
  }
  console.error('[demo] waiting for the budget period (a minute on the development chain) to end...');
  const now = (await api.query.timestamp.now()).toNumber();
  const next = (Math.floor(now / 60_000) + 1) * 60_000;
  while ((await api.query.timestamp.now()).toNumber() < next) await new Promise((resolve) => setTimeout(resolve, 2_000));
  const [claimable] = await api.call.patientRewardsApi.pendingRewards(patient.address);
  console.error(`[demo] the period ended within its budget: ${btt(claimable.toBigInt())} claimable`);

  const day = await chainDay(api);
  const code = billingCode({ procedures: ['D1110'], claim: `REDEEM-${Date.now()}`, patient: 'member-1', day, salt: 'ferdie-shop' });
  await send(api.tx.patientRewards.redeemAtMerchant(ferdie.address, 50n * UNITS, code), patient, 'the redemption');
  console.error('[demo] the patient redeemed 50 BTT of rewards for a cleaning (D1110) at Ferdie\'s shop: a coded PayFi payment in the shop\'s statement');
  const claimed = await send(api.tx.patientRewards.claim(), patient, 'the claim');
  const amount = rewardEvents(claimed.events, 'Claimed')[0].amount.toBigInt();
  console.error(`[demo] and claimed the rest, ${btt(amount)}; its history (api.call.patientRewardsApi.history) holds ${(await api.call.patientRewardsApi.history(patient.address)).length} activities, codes and days only`);
  await api.disconnect();
}

main().catch((error) => {
  console.error(`[demo] patient rewards: ${error.message}`);
  process.exit(1);
});
