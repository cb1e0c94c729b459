// PayFi on a running dev chain, told as a patient and a clinic meet it: Charlie's clinic
// registers to receive coded payments; a new patient's wallet receives 20 dUSD (asset 1337)
// and no BTT, and pays the clinic a coded checkup (D0120, D0274; K02.52) of 5 dUSD, the
// transaction's fee paid in dUSD too, swapped to BTT through the BTT/dUSD pool; the clinic
// reads the payment back from its statement. Then Bob opens a tab of 2 dUSD with the clinic for
// AI reads at 0.01 dUSD each, signs 100 vouchers off chain, and the clinic redeems the latest in
// one extrinsic and closes the tab (the rest returns to Bob); Bob also schedules a monthly
// membership (12 payments, one agenda task) and the demo shows its first due block. Last, an
// insurer (`//DemoInsurer`, funded by Alice) funds a dUSD pool; the clinic's FHIR R4 Claim
// (the converter's fixture, naming that insurer) is converted by `btt-claims` into
// `payfi.submitClaim` call data with no patient data, submitted, approved in full, and the
// decision turned back into a FHIR ClaimResponse.
//
// Usage: node tests/demo/payfi.js [ws://127.0.0.1:9944]

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

import { billingCode, chainDay, signVoucher } from '../lib/payfi.js';
import { FEE_ASSET_TYPES, sendAndFinalize } from '../lib/tx.js';
import { repoRoot, workerTool } from '../lib/workers.js';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const DUSD = 1337;
const USD = 10n ** 6n;

const dusd = (amount) => `${(Number(amount) / 1e6).toFixed(6)} dUSD`;

async function main () {
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, types: FEE_ASSET_TYPES });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const [alice, bob, clinic] = ['//Alice', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri));
  const patient = keyring.addFromMnemonic(mnemonicGenerate());

  const [btt, usd] = await api.call.assetConversionApi.getReserves('Native', { WithId: DUSD }).then((r) => r.unwrap());
  console.error(`[demo] the BTT/dUSD pool holds ${btt.toBigInt() / 10n ** 12n} BTT and ${usd.toBigInt() / USD} dUSD`);
  const funded = await sendAndFinalize(api.tx.assets.transferKeepAlive(DUSD, patient.address, 20n * USD), alice);
  if (funded.error) throw new Error(`funding the patient: ${funded.error}`);
  console.error(`[demo] a new patient ${patient.address} received 20 dUSD and holds no BTT`);
  if ((await api.call.payfiApi.payee(clinic.address)).isNone) {
    const registered = await sendAndFinalize(api.tx.payfi.registerPayee(100), clinic);
    if (registered.error) throw new Error(`registering the clinic: ${registered.error}`);
    console.error('[demo] Charlie\'s clinic registered to receive coded payments (100 statement records, its deposit held)');
  }
  const day = await chainDay(api);
  const code = billingCode({ procedures: ['D0120', 'D0274'], diagnoses: ['K02.52'], claim: `DEMO-${Date.now()}`, patient: 'MRN-0001', day, salt: 'demo-clinic' });
  const paid = await sendAndFinalize(api.tx.payfi.pay(clinic.address, { WithId: DUSD }, { WithId: DUSD }, 5n * USD, 5n * USD, code), patient, { assetId: { WithId: DUSD } });
  if (paid.error) throw new Error(`the patient's payment: ${paid.error}`);
  const fee = paid.events.find(({ event }) => event.section === 'assetTxPayment' && event.method === 'AssetTxFeePaid');
  const left = (await api.query.assets.account(DUSD, patient.address)).unwrap().balance.toBigInt();
  console.error(`[demo] the patient paid Charlie's clinic a coded checkup (D0120, D0274; K02.52) of 5 dUSD; the fee, ${dusd(fee?.event.data.actualFee.toBigInt() ?? 0n)}, was paid in dUSD too (swapped to BTT through the pool); ${dusd(left)} left, still 0 BTT`);
  const statement = (await api.call.payfiApi.statement(clinic.address, day, day)).unwrap();
  console.error(`[demo] the clinic's statement for today holds ${statement.length} coded payment(s); the latest: procedures ${statement[statement.length - 1][2].code.procedures.map((p) => `D${String(p.toNumber()).padStart(4, '0')}`).join(', ')}, received ${dusd(statement[statement.length - 1][2].received[1].toBigInt())}`);

  // A tab: micro-payments without an extrinsic each.
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  const tabCode = billingCode({ procedures: ['D0999'], claim: `AI-READS-${Date.now()}`, patient: 'MRN-0002', day, salt: 'demo-clinic' });
  const opened = await sendAndFinalize(api.tx.payfi.openTab(clinic.address, { WithId: DUSD }, 2n * USD, now + 1_200, tabCode), bob);
  if (opened.error) throw new Error(`opening the tab: ${opened.error}`);
  const tab = opened.events.find(({ event }) => event.section === 'payfi' && event.method === 'TabOpened').event.data.tab.toNumber();
  let latest;
  for (let nonce = 1; nonce <= 100; nonce++) latest = signVoucher(api, bob, { tab, cumulative: BigInt(nonce) * (USD / 100n), nonce });
  console.error(`[demo] Bob opened tab ${tab} with 2 dUSD at the clinic and signed 100 vouchers off chain (one per AI read, 0.01 dUSD each)`);
  const redeemed = await sendAndFinalize(api.tx.payfi.redeemVoucher(latest.voucher, latest.signature), clinic);
  if (redeemed.error) throw new Error(`redeeming the voucher: ${redeemed.error}`);
  const closed = await sendAndFinalize(api.tx.payfi.closeTab(tab), clinic);
  if (closed.error) throw new Error(`closing the tab: ${closed.error}`);
  const { toPayee, toPayer } = closed.events.find(({ event }) => event.section === 'payfi' && event.method === 'TabClosed').event.data;
  console.error(`[demo] the clinic redeemed the latest voucher in one extrinsic and closed the tab: ${dusd(toPayee.toBigInt())} to the clinic, ${dusd(toPayer.toBigInt())} back to Bob, one line on the statement`);

  // A membership: twelve monthly payments, one scheduler task at a time.
  const month = 30 * api.consts.payfi.minPlanPeriod.toNumber();
  const memberCode = billingCode({ procedures: ['D1110'], claim: `MEMBERSHIP-${Date.now()}`, patient: 'MRN-0002', day, salt: 'demo-clinic' });
  const scheduled = await sendAndFinalize(api.tx.payfi.schedulePayments(clinic.address, { WithId: DUSD }, { WithId: DUSD }, 15n * USD, 15n * USD, month, 12, memberCode), bob);
  if (scheduled.error) throw new Error(`scheduling the membership: ${scheduled.error}`);
  const plan = scheduled.events.find(({ event }) => event.section === 'payfi' && event.method === 'PlanScheduled').event.data;
  console.error(`[demo] Bob scheduled a membership at the clinic: 12 monthly payments of 15 dUSD (plan ${plan.plan}), the first in block ${plan.first}; either side may cancel it (payfi.cancelPlan)`);

  // An insurer claim, from the clinic's FHIR R4 Claim.
  const insurer = keyring.addFromUri('//DemoInsurer');
  const funding = api.tx.utility.batchAll([
    api.tx.balances.transferKeepAlive(insurer.address, 100n * 10n ** 12n),
    api.tx.assets.transferKeepAlive(DUSD, insurer.address, 1_000n * USD)
  ]);
  if ((await sendAndFinalize(funding, alice)).error) throw new Error('funding the insurer');
  if ((await api.query.payfi.insurers(insurer.address)).isNone) {
    if ((await sendAndFinalize(api.tx.payfi.registerInsurer(), insurer)).error) throw new Error('registering the insurer');
  }
  if ((await sendAndFinalize(api.tx.payfi.fundPool({ WithId: DUSD }, 500n * USD), insurer)).error) throw new Error('funding the pool');
  const dir = mkdtempSync(join(tmpdir(), 'btt-demo-claims-'));
  const fhir = JSON.parse(readFileSync(join(repoRoot, 'offchain-workers/claims/tests/fixtures/checkup-claim.json'), 'utf8'));
  fhir.insurer.identifier.value = insurer.address;
  fhir.identifier[0].value = `CLM-DEMO-${Date.now()}`;
  const [claimFile, saltFile, outcomeFile] = ['claim.json', 'salt', 'outcome.json'].map((name) => join(dir, name));
  writeFileSync(claimFile, JSON.stringify(fhir));
  writeFileSync(saltFile, randomBytes(32));
  const converted = JSON.parse(execFileSync(workerTool('btt-claims'), ['submit', '--claim', claimFile, '--salt-file', saltFile], { encoding: 'utf8' }));
  const submitted = await sendAndFinalize(api.tx(api.createType('Call', converted.callData)), clinic);
  if (submitted.error) throw new Error(`submitting the claim: ${submitted.error}`);
  const { claim } = submitted.events.find(({ event }) => event.section === 'payfi' && event.method === 'ClaimSubmitted').event.data;
  console.error(`[demo] the clinic converted its FHIR Claim with btt-claims (${converted.procedures.join(', ')}; ${converted.diagnoses.join(', ')}; the claim and the patient only as salted hashes) and claimed ${dusd(BigInt(converted.amount))} from the insurer (claim ${claim})`);
  const approved = await sendAndFinalize(api.tx.payfi.adjudicate(claim, { Approve: { amount: BigInt(converted.amount) } }), insurer);
  if (approved.error) throw new Error(`approving the claim: ${approved.error}`);
  const event = approved.events.find(({ event }) => event.section === 'payfi' && event.method === 'ClaimApproved').event;
  writeFileSync(outcomeFile, JSON.stringify({ event: event.method, ...event.data.toHuman() }));
  const response = JSON.parse(execFileSync(workerTool('btt-claims'), ['response', '--claim', claimFile, '--outcome', outcomeFile], { encoding: 'utf8' }));
  console.error(`[demo] the insurer approved it and paid from its pool; the clinic's records get a FHIR ClaimResponse: "${response.disposition}", ${response.payment.amount.value} ${response.payment.amount.currency} (payment ${response.payment.identifier.value} of its statement)`);
  rmSync(dir, { recursive: true, force: true });
  await api.disconnect();
}

main().catch((error) => {
  console.error(`[demo] payfi: ${error.message}`);
  process.exit(1);
});
