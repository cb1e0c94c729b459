// Patient rewards on btt-node --dev through @polkadot/api, as a patient's app, a connected
// toothbrush, a clinic and an education author meet them (docs/pallets/patient-rewards.md):
// - a JS device simulator with its own sr25519 key registers to the patient and signs 7 days
//   of hygiene summaries; the chain verifies each signature, refuses a forgery and a replay;
// - the clinic (//Bob, a provider from genesis) confirms a checkup and a 3-stage treatment plan
//   whose visits it syncs late (visit days within the backfill window);
// - the author (//Charlie) runs a module's sitting: the patient commits, the key is revealed,
//   the patient's answers pass;
// - a referee names the patient and its first checkup validates the referral;
// - the development chain's one-minute budget period ends: the patient redeems part of its
//   rewards at a partner merchant (a coded PayFi payment in the merchant's statement), burns
//   some for a listed benefit and claims the rest; the runtime API shows history and consents.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

import { startDevNode } from '../lib/node.js';
import { billingCode, chainDay } from '../lib/payfi.js';
import { answerHash, answersCommitment, DeviceSimulator, rewardEvents } from '../lib/rewards.js';
import { FEE_ASSET_TYPES, sendAndFinalize } from '../lib/tx.js';

const UNITS = 10n ** 12n;
const PERBILL = 1_000_000_000;

describe('patient rewards on btt-node --dev', { timeout: 900_000 }, () => {
  let node, api, alice, bob, charlie, ferdie, patient, referee, device;
  const earned = [];

  async function send (tx, signer) {
    const result = await sendAndFinalize(tx, signer);
    assert.equal(result.error, null, `${tx.method.section}.${tx.method.method}: ${result.error}`);
    for (const data of rewardEvents(result.events, 'RewardEarned')) {
      if (data.patient.toString() === patient.address) earned.push(data.reward.toBigInt());
    }
    return result;
  }

  async function refused (tx, signer, error) {
    const result = await sendAndFinalize(tx, signer);
    assert.equal(result.error, error);
  }

  before(async () => {
    node = await startDevNode();
    api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), throwOnConnect: true, types: FEE_ASSET_TYPES });
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    [alice, bob, charlie, ferdie] = ['//Alice', '//Bob', '//Charlie', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
    patient = keyring.addFromMnemonic(mnemonicGenerate());
    referee = keyring.addFromMnemonic(mnemonicGenerate());
    device = new DeviceSimulator(api, keyring.addFromMnemonic(mnemonicGenerate()));
    const fund = [patient, referee].map((who) => api.tx.balances.transferKeepAlive(who.address, 50n * UNITS));
    await send(api.tx.utility.batchAll(fund), alice);
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  it('the development genesis has the categories, a budget, a funded pot, the clinic and the author', async () => {
    const checkup = (await api.query.patientRewards.categories('Checkup')).unwrap();
    assert.equal(checkup.base.toBigInt(), 300n * UNITS);
    assert.equal((await api.query.patientRewards.periodSeconds()).toNumber(), 60);
    assert.equal((await api.query.patientRewards.providers(bob.address)).isSome, true);
    assert.equal((await api.query.patientRewards.authors(charlie.address)).isSome, true);
    assert.equal((await api.call.patientRewardsApi.budgetLeft()).toBigInt(), 100_000n * UNITS);
  });

  it('a device simulator signs 7 days of hygiene; a forgery and a replay are refused', async () => {
    const today = await chainDay(api);
    await send(api.tx.patientRewards.registerDevice(device.address, device.registrationProof(patient.address)), patient);
    await send(api.tx.patientRewards.grantConsent(device.address, 'HygieneData', null), patient);
    assert.equal((await api.query.patientRewards.devices(device.address)).unwrap().patient.toString(), patient.address);

    const days = Array.from({ length: 7 }, (_, i) => today - 6 + i);
    const signed = days.map((day) => device.summary(patient.address, { day, sessions: 2, minutes: 5, rawData: `brush log ${day}` }));
    // A summary whose minutes were inflated after signing does not verify.
    const forged = { ...signed[0].summary, minutes: 30 };
    await refused(api.tx.patientRewards.submitHygiene(forged, signed[0].signature), patient, 'patientRewards.BadDeviceSignature');

    const result = await send(api.tx.utility.batchAll(signed.map(({ summary, signature }) =>
      api.tx.patientRewards.submitHygiene(summary, signature))), patient);
    const rewards = rewardEvents(result.events, 'RewardEarned').map((data) => data.reward.toBigInt());
    assert.equal(rewards.length, 7);
    for (const reward of rewards) assert.ok(reward >= 10n * UNITS && reward <= 20n * UNITS, `a day's reward: ${reward}`);
    await refused(api.tx.patientRewards.submitHygiene(signed[6].summary, signed[6].signature), patient, 'patientRewards.DayAlreadyRewarded');
  });

  it('the clinic confirms a checkup and a 3-stage plan whose visits it syncs late', async () => {
    const today = await chainDay(api);
    await send(api.tx.utility.batchAll([
      api.tx.patientRewards.grantConsent(bob.address, 'CheckupConfirmation', null),
      api.tx.patientRewards.grantConsent(bob.address, 'TreatmentPlan', null)
    ]), patient);
    const checkup = await send(api.tx.patientRewards.confirmCheckup(patient.address, 120, PERBILL, null), bob);
    assert.equal(rewardEvents(checkup.events, 'RewardEarned')[0].category.toString(), 'Checkup');

    const recorded = await send(api.tx.patientRewards.recordPlan(patient.address, 2740, 3), bob);
    const plan = rewardEvents(recorded.events, 'PlanRecorded')[0].plan.toNumber();
    const stages = [[today - 2, 100], [today - 1, 90], [today, 80]].map(([day, percent]) =>
      api.tx.patientRewards.confirmStage(plan, percent * PERBILL / 100, day));
    const completed = await send(api.tx.utility.batchAll(stages), bob);
    const done = rewardEvents(completed.events, 'PlanCompleted')[0];
    assert.equal(done.quality.toNumber(), 0.9 * PERBILL, 'C is the mean stage quality');
    assert.equal((await api.query.patientRewards.plans(plan)).isNone, true);
  });

  it('an education module: the patient commits, the author reveals the key, the answers pass', async () => {
    const key = [2, 0, 3];
    const salt = `0x${'5a'.repeat(32)}`;
    const hashes = key.map((answer, index) => answerHash(api, salt, index, answer));
    const created = await send(api.tx.patientRewards.createModule(hashes, 0.6 * PERBILL, 1), charlie);
    const module = rewardEvents(created.events, 'ModuleCreated')[0].module.toNumber();
    const nonce = `0x${'0e'.repeat(32)}`;
    await send(api.tx.patientRewards.commitAnswers(module, answersCommitment(api, patient.address, module, key, nonce)), patient);
    // The class has committed: the author reveals the key, which closes the sitting.
    await send(api.tx.patientRewards.revealKey(module, salt, key), charlie);
    const scored = await send(api.tx.patientRewards.revealAnswers(module, key, nonce), patient);
    const score = rewardEvents(scored.events, 'AssessmentScored')[0];
    assert.equal(score.passed.isTrue, true);
    assert.equal(score.score.toNumber(), PERBILL);
  });

  it("a referee names the patient and its first checkup validates the referral", async () => {
    await send(api.tx.patientRewards.grantConsent(bob.address, 'CheckupConfirmation', null), referee);
    await refused(api.tx.patientRewards.nameReferrer(referee.address), referee, 'patientRewards.SelfReferral');
    await send(api.tx.patientRewards.nameReferrer(patient.address), referee);
    const result = await send(api.tx.patientRewards.confirmCheckup(referee.address, 120, PERBILL, null), bob);
    const validated = rewardEvents(result.events, 'ReferralValidated')[0];
    assert.equal(validated.referrer.toString(), patient.address);
    assert.equal(validated.rewarded.isTrue, true);
  });

  it('once the minute-long period ends, the patient redeems at a merchant, burns for a benefit and claims the rest', async () => {
    const total = earned.reduce((sum, reward) => sum + reward, 0n);
    assert.equal(earned.length, 7 + 1 + 1 + 1 + 1, 'hygiene ×7, checkup, plan, module, referral');
    // What ended periods owe is claimable; the period in progress pays once it ends.
    const [owed, pending] = await api.call.patientRewardsApi.pendingRewards(patient.address);
    assert.equal(owed.toBigInt() + pending.toBigInt(), total);

    // Ferdie's shop: a PayFi payee and a partner merchant; a benefit listed by governance.
    await send(api.tx.payfi.registerPayee(4), ferdie);
    await send(api.tx.sudo.sudo(api.tx.utility.batchAll([
      api.tx.patientRewards.registerMerchant(ferdie.address),
      api.tx.patientRewards.listBenefit(1, 25n * UNITS, `0x${'be'.repeat(32)}`)
    ])), alice);

    // Wait for the next minute on the chain's clock.
    const now = (await api.query.timestamp.now()).toNumber();
    const next = (Math.floor(now / 60_000) + 1) * 60_000;
    while ((await api.query.timestamp.now()).toNumber() < next) await new Promise((resolve) => setTimeout(resolve, 2_000));
    const [claimable] = await api.call.patientRewardsApi.pendingRewards(patient.address);
    assert.equal(claimable.toBigInt(), total, 'the budget covers the period: every point pays 1');

    const day = await chainDay(api);
    const code = billingCode({ procedures: ['D1110'], claim: 'redemption-1', patient: 'p-1', day, salt: 'shop salt' });
    const redeemed = await send(api.tx.patientRewards.redeemAtMerchant(ferdie.address, 100n * UNITS, code), patient);
    const { id } = rewardEvents(redeemed.events, 'RedeemedAtMerchant')[0];
    const statement = (await api.call.payfiApi.statement(ferdie.address, day, day)).unwrap();
    const record = statement.find(([, paymentId]) => paymentId.toNumber() === id.toNumber());
    assert.equal(record[2].payer.toString(), patient.address);
    assert.equal(record[2].received[1].toBigInt(), 100n * UNITS);

    const issuance = (await api.query.balances.totalIssuance()).toBigInt();
    await send(api.tx.patientRewards.redeemBenefit(1), patient);
    assert.equal((await api.query.balances.totalIssuance()).toBigInt(), issuance - 25n * UNITS, 'the benefit burnt its price');

    const claimed = await send(api.tx.patientRewards.claim(), patient);
    assert.equal(rewardEvents(claimed.events, 'Claimed')[0].amount.toBigInt(), total - 125n * UNITS);
    assert.equal((await api.call.patientRewardsApi.patient(patient.address)).unwrap().claimed.toBigInt(), total);
  });

  it('the runtime API lists the activity history (codes and days only) and the consents', async () => {
    const history = await api.call.patientRewardsApi.history(patient.address);
    const categories = history.map((activity) => activity.category.toString());
    assert.deepEqual(categories.filter((c) => c === 'Hygiene').length, 7);
    const checkup = history.find((activity) => activity.category.toString() === 'Checkup');
    assert.equal(checkup.code.unwrap().toNumber(), 120);
    const plan = history.find((activity) => activity.category.toString() === 'TreatmentPlan');
    assert.equal(plan.code.unwrap().toNumber(), 2740);
    assert.ok(categories.includes('Education') && categories.includes('Referral'));
    const consents = (await api.call.patientRewardsApi.consents(patient.address))
      .map(([grantee, purpose]) => `${grantee.toString()}:${purpose.toString()}`).sort();
    assert.deepEqual(consents, [
      `${bob.address}:CheckupConfirmation`, `${bob.address}:TreatmentPlan`, `${device.address}:HygieneData`
    ].sort());
  });
});
