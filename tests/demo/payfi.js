// PayFi on a running dev chain, told as a patient and a clinic meet it: Charlie's clinic
// registers to receive coded payments; a new patient's wallet receives 20 dUSD (asset 1337)
// and no BTT, and pays the clinic a coded checkup (D0120, D0274; K02.52) of 5 dUSD, the
// transaction's fee paid in dUSD too, swapped to BTT through the BTT/dUSD pool; the clinic
// reads the payment back from its statement.
//
// Usage: node tests/demo/payfi.js [ws://127.0.0.1:9944]

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

import { billingCode, chainDay } from '../lib/payfi.js';
import { FEE_ASSET_TYPES, sendAndFinalize } from '../lib/tx.js';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const DUSD = 1337;
const USD = 10n ** 6n;

const dusd = (amount) => `${(Number(amount) / 1e6).toFixed(6)} dUSD`;

async function main () {
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, types: FEE_ASSET_TYPES });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const [alice, clinic] = ['//Alice', '//Charlie'].map((uri) => keyring.addFromUri(uri));
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
  await api.disconnect();
}

main().catch((error) => {
  console.error(`[demo] payfi: ${error.message}`);
  process.exit(1);
});
