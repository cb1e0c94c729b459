// PayFi on btt-node --dev through @polkadot/api, as a patient's wallet and a clinic's billing
// software meet it:
// - currencies: the development stablecoin dUSD (asset 1337, 6 decimals) and its BTT pool are
//   there from genesis, quoted through the runtime API; a patient whose account holds dUSD and
//   no BTT at all pays a transaction's fee in dUSD (signed with `assetId`), the fee swapped to
//   BTT through the pool; naming a fee asset without a pool is refused before anything moves;
// - coded payments: a clinic registers as a payee (a deposit held); the patient, still with no
//   BTT, pays a coded checkup in dUSD with its fee in dUSD; the clinic reads it back from its
//   statement through `api.call.payfiApi`; a payment in BTT reaches the clinic in dUSD through
//   the pool, bounded by the payer's maximum; a malformed code is refused with its error;
// - an escrow released by the payer's confirmation;
// - a membership plan scheduled (its deposit held, its task in the scheduler's agenda) and
//   cancelled by the clinic (the runtime tests run its payments through the scheduler: a plan's
//   period is at least a day);
// - a tab: a thousand sr25519 vouchers signed off chain, the latest redeemed in one extrinsic, a
//   replay refused, the tab closed into the clinic's statement;
// - an insurer claim: the clinic's FHIR Claim converted by `btt-claims` (salted hashes, no patient
//   data), submitted as call data, its amount committed in the insurer's pool, approved in part,
//   and the decision turned back into a FHIR ClaimResponse and PaymentReconciliation.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

import { startDevNode } from '../lib/node.js';
import { billingCode, chainDay, saltedHash, signVoucher } from '../lib/payfi.js';
import { FEE_ASSET_TYPES, sendAndFinalize } from '../lib/tx.js';
import { repoRoot, workerTool } from '../lib/workers.js';

const UNITS = 10n ** 12n;
const DUSD = 1337;
const USD = 10n ** 6n;
const NATIVE = 'Native';
const WITH_DUSD = { WithId: DUSD };

describe('currencies, fees in dUSD and coded payments on btt-node --dev', { timeout: 600_000 }, () => {
  let node, api, alice, bob, charlie, patient;

  async function usd (who) {
    const account = await api.query.assets.account(DUSD, who.address);
    return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
  }

  async function btt (who) {
    return (await api.query.system.account(who.address)).data.free.toBigInt();
  }

  before(async () => {
    node = await startDevNode();
    api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), throwOnConnect: true, types: FEE_ASSET_TYPES });
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri));
    // A patient's fresh wallet: no BTT, ever.
    patient = keyring.addFromMnemonic(mnemonicGenerate());
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  it('dUSD exists from genesis with metadata, and its BTT pool is quoted by the runtime API', async () => {
    const metadata = await api.query.assets.metadata(DUSD);
    assert.equal(metadata.symbol.toUtf8(), 'dUSD');
    assert.equal(metadata.decimals.toNumber(), 6);
    assert.equal((await api.query.assets.asset(DUSD)).unwrap().isSufficient.isTrue, true);
    assert.equal(await usd(bob), 100_000n * USD);
    const reserves = (await api.call.assetConversionApi.getReserves(NATIVE, WITH_DUSD)).unwrap();
    assert.deepEqual(reserves.map((value) => value.toBigInt()), [50_000n * UNITS, 50_000n * USD]);
    const quote = (await api.call.assetConversionApi.quotePriceExactTokensForTokens(NATIVE, WITH_DUSD, UNITS, true)).unwrap().toBigInt();
    assert.ok(quote < USD && quote > (USD * 99n) / 100n, `1 BTT buys ${quote} micro-dUSD`);
  });

  it('a patient holding only dUSD pays a transfer and its fee in dUSD', async () => {
    const funded = await sendAndFinalize(api.tx.assets.transferKeepAlive(DUSD, patient.address, 20n * USD), alice);
    assert.equal(funded.error, null);
    assert.equal(await btt(patient), 0n);
    assert.equal(await usd(patient), 20n * USD);
    const bobBefore = await usd(bob);

    const paid = await sendAndFinalize(api.tx.assets.transferKeepAlive(DUSD, bob.address, 5n * USD), patient, { assetId: WITH_DUSD });

    assert.equal(paid.error, null);
    assert.equal(await usd(bob), bobBefore + 5n * USD);
    assert.equal(await btt(patient), 0n, 'the patient never held BTT');
    const feePaid = paid.events.find(({ event }) => event.section === 'assetTxPayment' && event.method === 'AssetTxFeePaid');
    assert.ok(feePaid, `no AssetTxFeePaid in ${paid.events.map(({ event }) => `${event.section}.${event.method}`)}`);
    const { who, actualFee, assetId } = feePaid.event.data;
    assert.equal(who.toString(), patient.address);
    assert.deepEqual(assetId.toJSON(), { withId: DUSD });
    const fee = actualFee.toBigInt();
    assert.ok(fee > 0n && fee < USD / 100n, `fee ${fee} micro-dUSD`);
    assert.equal(await usd(patient), 15n * USD - fee);
  });

  it('a fee asset without a pool is refused before anything moves', async () => {
    const before = await usd(patient);
    await assert.rejects(
      sendAndFinalize(api.tx.assets.transferKeepAlive(DUSD, bob.address, USD), patient, { assetId: { WithId: 4242 } }),
      /Inability to pay some fees|Invalid Transaction|1010/
    );
    assert.equal(await usd(patient), before);
  });

  // Charlie's clinic and its billing software's salt (kept off chain).
  const SALT = 'clinic-charlie-2026';

  it('a clinic registers as a payee, its deposit held', async () => {
    const free = await btt(charlie);
    const registered = await sendAndFinalize(api.tx.payfi.registerPayee(20), charlie);
    assert.equal(registered.error, null);
    const payee = (await api.call.payfiApi.payee(charlie.address)).unwrap();
    assert.equal(payee.slots.toNumber(), 20);
    assert.equal(payee.used.toNumber(), 0);
    const deposit = payee.deposit.toBigInt();
    assert.ok(deposit > 0n && deposit < 2n * UNITS, `deposit ${deposit}`);
    assert.ok(free - (await btt(charlie)) >= deposit, 'the deposit left the free balance');
  });

  it('the patient, still without BTT, pays a coded checkup in dUSD with its fee in dUSD; the statement shows it', async () => {
    const day = await chainDay(api);
    const code = billingCode({ procedures: ['D0120', 'D0274'], diagnoses: ['K02.52'], claim: 'CL-2026-0042', patient: 'MRN-77', day, salt: SALT });
    const [clinicBefore, patientBefore] = [await usd(charlie), await usd(patient)];

    const paid = await sendAndFinalize(api.tx.payfi.pay(charlie.address, WITH_DUSD, WITH_DUSD, 10n * USD, 10n * USD, code), patient, { assetId: WITH_DUSD });

    assert.equal(paid.error, null);
    assert.equal(await usd(charlie), clinicBefore + 10n * USD, 'the clinic received exactly 10 dUSD');
    assert.equal(await btt(patient), 0n, 'the patient never held BTT');
    const fee = paid.events.find(({ event }) => event.section === 'assetTxPayment' && event.method === 'AssetTxFeePaid').event.data.actualFee.toBigInt();
    assert.equal(await usd(patient), patientBefore - 10n * USD - fee);
    const event = paid.events.find(({ event }) => event.section === 'payfi' && event.method === 'Paid').event.data;
    assert.equal(event.payer.toString(), patient.address);
    assert.equal(event.route.isDirect, true);
    assert.equal(event.day.toNumber(), day);

    const statement = (await api.call.payfiApi.statement(charlie.address, day, day)).unwrap();
    assert.equal(statement.length, 1);
    const [recordDay, id, record] = statement[0];
    assert.equal(recordDay.toNumber(), day);
    assert.equal(id.toBigInt(), event.id.toBigInt());
    assert.deepEqual(record.code.procedures.map((p) => p.toNumber()), [120, 274]);
    assert.equal(record.code.patient.toHex(), saltedHash(SALT, 'MRN-77'), 'the clinic maps the hash back with its salt');
    assert.deepEqual(record.received.toJSON(), [{ withId: DUSD }, Number(10n * USD)]);
    assert.equal((await api.call.payfiApi.payee(charlie.address)).unwrap().used.toNumber(), 1);
  });

  it('a payment in BTT reaches the clinic in dUSD through the pool, within the payer\'s maximum', async () => {
    const day = await chainDay(api);
    const code = billingCode({ procedures: ['D1110'], claim: 'CL-2026-0043', patient: 'MRN-78', day, salt: SALT });
    const clinicBefore = await usd(charlie);

    const paid = await sendAndFinalize(api.tx.payfi.pay(charlie.address, NATIVE, WITH_DUSD, 25n * USD, 26n * UNITS, code), bob);

    assert.equal(paid.error, null);
    assert.equal(await usd(charlie), clinicBefore + 25n * USD);
    const event = paid.events.find(({ event }) => event.section === 'payfi' && event.method === 'Paid').event.data;
    const [paidIn, paidAmount] = event.paid;
    assert.equal(paidIn.isNative, true);
    assert.ok(paidAmount.toBigInt() > 25n * UNITS && paidAmount.toBigInt() <= 26n * UNITS, `paid ${paidAmount} BTT units`);
    assert.deepEqual(event.route.asSwap.path.toJSON(), [{ native: null }, { withId: DUSD }]);
    const statement = (await api.call.payfiApi.statement(charlie.address, day - 1, day)).unwrap();
    assert.equal(statement.length, 2, 'both payments are on the statement');
  });

  it('a malformed or future billing code is refused with its error and moves nothing', async () => {
    const day = await chainDay(api);
    const before = await usd(charlie);
    const future = billingCode({ procedures: ['D0120'], claim: 'CL-X', patient: 'MRN-X', day: day + 2, salt: SALT });
    const refused = await sendAndFinalize(api.tx.payfi.pay(charlie.address, WITH_DUSD, WITH_DUSD, USD, USD, future), bob);
    assert.equal(refused.error, 'payfi.EncounterInFuture');
    const noProcedure = { ...future, procedures: [], encounterDay: day };
    const empty = await sendAndFinalize(api.tx.payfi.pay(charlie.address, WITH_DUSD, WITH_DUSD, USD, USD, noProcedure), bob);
    assert.equal(empty.error, 'payfi.NoProcedure');
    assert.equal(await usd(charlie), before);
  });

  it('an escrow is released by the payer\'s confirmation into the clinic\'s statement', async () => {
    const day = await chainDay(api);
    const code = billingCode({ procedures: ['D2391'], diagnoses: ['K02.52'], claim: 'CL-2026-0050', patient: 'MRN-79', day, salt: SALT });
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const escrowed = await sendAndFinalize(api.tx.payfi.escrow(charlie.address, WITH_DUSD, 20n * USD, [{ ConfirmedBy: bob.address }], now + 600, code), bob);
    assert.equal(escrowed.error, null);
    const { id } = escrowed.events.find(({ event }) => event.section === 'payfi' && event.method === 'Escrowed').event.data;
    assert.equal((await api.query.payfi.escrows(id)).unwrap().amount.toBigInt(), 20n * USD);
    const early = await sendAndFinalize(api.tx.payfi.settleEscrow(id), charlie);
    assert.equal(early.error, 'payfi.EscrowPending');
    const clinicBefore = await usd(charlie);

    assert.equal((await sendAndFinalize(api.tx.payfi.confirm(id), bob)).error, null);
    const settled = await sendAndFinalize(api.tx.payfi.settleEscrow(id), charlie);

    assert.equal(settled.error, null);
    assert.equal(await usd(charlie), clinicBefore + 20n * USD);
    assert.equal((await api.query.payfi.escrows(id)).isNone, true);
    const statement = (await api.call.payfiApi.statement(charlie.address, day, day)).unwrap();
    const released = statement.find(([, , record]) => record.escrow.isSome);
    assert.ok(released, 'the release is on the statement');
    assert.equal(released[2].escrow.unwrap().toBigInt(), id.toBigInt());
  });

  it('a membership plan holds its deposit and one agenda task, and the clinic cancels it', async () => {
    const day = await chainDay(api);
    const code = billingCode({ procedures: ['D1110'], claim: 'MEMBERSHIP-2026', patient: 'MRN-80', day, salt: SALT });
    const period = api.consts.payfi.minPlanPeriod.toNumber();
    const scheduled = await sendAndFinalize(api.tx.payfi.schedulePayments(charlie.address, WITH_DUSD, WITH_DUSD, 30n * USD, 30n * USD, period, 12, code), bob);
    assert.equal(scheduled.error, null);
    const { plan, first } = scheduled.events.find(({ event }) => event.section === 'payfi' && event.method === 'PlanScheduled').event.data;
    const record = (await api.query.payfi.plans(plan)).unwrap();
    assert.equal(record.remaining.toNumber(), 12);
    const agenda = await api.query.scheduler.agenda(first);
    assert.equal(agenda.filter((task) => task.isSome && task.unwrap().call.isInline).length, 1, 'one task, whatever the number of payments');
    const holds = await api.query.balances.holds(bob.address);
    const held = holds.find((hold) => hold.id.isPayfi && hold.id.asPayfi.isPlan);
    assert.equal(held.amount.toBigInt(), record.deposit.toBigInt());

    const stranger = await sendAndFinalize(api.tx.payfi.cancelPlan(plan), alice);
    assert.equal(stranger.error, 'payfi.NotPlanParty');
    const cancelled = await sendAndFinalize(api.tx.payfi.cancelPlan(plan), charlie);

    assert.equal(cancelled.error, null);
    const ended = cancelled.events.find(({ event }) => event.section === 'payfi' && event.method === 'PlanEnded').event.data;
    assert.equal(ended.end.isCancelled, true);
    assert.equal((await api.query.payfi.plans(plan)).isNone, true);
    assert.equal((await api.query.scheduler.agenda(first)).filter((task) => task.isSome).length, 0, 'its task is gone');
  });

  it('a tab of 1,000 sr25519 vouchers signed off chain is settled by one redeem and closed into the statement', async () => {
    const day = await chainDay(api);
    const code = billingCode({ procedures: ['D0999'], claim: 'AI-READS-2026-12', patient: 'MRN-81', day, salt: SALT });
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const opened = await sendAndFinalize(api.tx.payfi.openTab(charlie.address, WITH_DUSD, 5n * USD, now + 600, code), bob);
    assert.equal(opened.error, null);
    const { tab } = opened.events.find(({ event }) => event.section === 'payfi' && event.method === 'TabOpened').event.data;
    // Off chain: one voucher per AI read at a thousandth of a dUSD; the clinic keeps the latest.
    const started = Date.now();
    let latest;
    for (let nonce = 1; nonce <= 1_000; nonce++) {
      latest = signVoucher(api, bob, { tab: tab.toNumber(), cumulative: BigInt(nonce) * (USD / 1_000n), nonce });
    }
    const signing = Date.now() - started;
    const clinicBefore = await usd(charlie);

    const redeemed = await sendAndFinalize(api.tx.payfi.redeemVoucher(latest.voucher, latest.signature), charlie);

    assert.equal(redeemed.error, null);
    assert.equal(await usd(charlie), clinicBefore + USD, '1,000 micro-payments of 0.001 dUSD');
    const replay = await sendAndFinalize(api.tx.payfi.redeemVoucher(latest.voucher, latest.signature), charlie);
    assert.equal(replay.error, 'payfi.VoucherReplayed');
    const forged = signVoucher(api, alice, { ...latest.voucher, nonce: 1_001, cumulative: 5n * USD });
    assert.equal((await sendAndFinalize(api.tx.payfi.redeemVoucher(forged.voucher, forged.signature), charlie)).error, 'payfi.BadVoucherSignature');
    const bobBefore = await usd(bob);
    const closed = await sendAndFinalize(api.tx.payfi.closeTab(tab), charlie);
    assert.equal(closed.error, null);
    assert.equal(await usd(bob), bobBefore + 4n * USD, 'the rest returns to the payer');
    const statement = (await api.call.payfiApi.statement(charlie.address, day, day)).unwrap();
    const line = statement.find(([, , record]) => record.code.claim.toHex() === saltedHash(SALT, 'AI-READS-2026-12'));
    assert.ok(line, 'the tab is one line of the statement');
    assert.deepEqual(line[2].received.toJSON(), [{ withId: DUSD }, Number(USD)]);
    console.log(`signed 1,000 vouchers off chain in ${signing} ms; one redeem settled them`);
  });
  it('a FHIR claim converted by btt-claims is submitted by the clinic, paid in part by the insurer and answered as a ClaimResponse', async () => {
    const dave = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 }).addFromUri('//Dave');
    assert.equal((await sendAndFinalize(api.tx.payfi.registerInsurer(), dave)).error, null);
    assert.equal((await sendAndFinalize(api.tx.payfi.fundPool(WITH_DUSD, 500n * USD), dave)).error, null);
    // The clinic's side: its FHIR Claim (insurer: Dave's account) and its secret salt.
    const dir = mkdtempSync(join(tmpdir(), 'btt-claims-'));
    const salt = join(dir, 'salt');
    writeFileSync(salt, randomBytes(32));
    const fixture = join(repoRoot, 'offchain-workers/claims/tests/fixtures/checkup-claim.json');
    const converted = JSON.parse(execFileSync(workerTool('btt-claims'), ['submit', '--claim', fixture, '--salt-file', salt], { encoding: 'utf8' }));
    assert.equal(converted.insurer, dave.address);
    assert.deepEqual(converted.procedures, ['D0120', 'D0274']);

    const call = api.createType('Call', converted.callData);
    assert.equal(`${call.section}.${call.method}`, 'payfi.submitClaim');
    assert.equal(call.args[0].toString(), dave.address);
    assert.equal(call.args[2].toBigInt(), 80n * USD);
    assert.equal(call.args[3].claim.toHex(), converted.claimHash, 'only salted hashes of the claim and the patient');
    const submitted = await sendAndFinalize(api.tx(call), charlie);
    assert.equal(submitted.error, null);
    const { claim, deadline } = submitted.events.find(({ event }) => event.section === 'payfi' && event.method === 'ClaimSubmitted').event.data;
    assert.ok(deadline.toNumber() > 0);
    const pool = (await api.query.payfi.pools(dave.address, WITH_DUSD)).unwrap();
    assert.equal(pool.committed.toBigInt(), 80n * USD);
    const drain = await sendAndFinalize(api.tx.payfi.withdrawPool(WITH_DUSD, 500n * USD), dave);
    assert.equal(drain.error, 'payfi.PoolCommitted', 'the insurer cannot empty the pool its open claim is owed from');

    const clinicBefore = await usd(charlie);
    const approved = await sendAndFinalize(api.tx.payfi.adjudicate(claim, { Approve: { amount: 60n * USD } }), dave);
    assert.equal(approved.error, null);
    assert.equal(await usd(charlie), clinicBefore + 60n * USD);
    const event = approved.events.find(({ event }) => event.section === 'payfi' && event.method === 'ClaimApproved').event;
    // The decision back into the clinic's records: the event as polkadot.js prints it.
    const outcome = join(dir, 'outcome.json');
    writeFileSync(outcome, JSON.stringify({ event: event.method, ...event.data.toHuman() }));
    const response = JSON.parse(execFileSync(workerTool('btt-claims'), ['response', '--claim', fixture, '--outcome', outcome], { encoding: 'utf8' }));
    assert.equal(response.resourceType, 'ClaimResponse');
    assert.equal(response.disposition, 'Approved in part');
    assert.equal(response.payment.amount.value, 60);
    assert.equal(response.request.identifier.value, 'CLM-2024-10-0042');
    const reconciliation = JSON.parse(execFileSync(workerTool('btt-claims'), ['reconciliation', '--claim', fixture, '--outcome', outcome], { encoding: 'utf8' }));
    assert.equal(reconciliation.paymentAmount.value, 60);
    const today = await chainDay(api);
    const statement = (await api.call.payfiApi.statement(charlie.address, today, today)).unwrap();
    const line = statement.find(([, , record]) => record.code.claim.toHex() === converted.claimHash);
    assert.ok(line, 'the insurer\'s payment is a line of the clinic\'s statement');
    assert.equal(line[2].payer.toString(), dave.address);
    rmSync(dir, { recursive: true, force: true });
  });
});
