// PayFi's currency layer on a running dev chain, told as a patient meets it: a new patient's
// wallet receives 20 dUSD (asset 1337) and no BTT, and pays a clinic 5 dUSD with the
// transaction's fee paid in dUSD too, swapped to BTT through the BTT/dUSD pool.
//
// Usage: node tests/demo/payfi.js [ws://127.0.0.1:9944]

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

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
  const paid = await sendAndFinalize(api.tx.assets.transferKeepAlive(DUSD, clinic.address, 5n * USD), patient, { assetId: { WithId: DUSD } });
  if (paid.error) throw new Error(`the patient's payment: ${paid.error}`);
  const fee = paid.events.find(({ event }) => event.section === 'assetTxPayment' && event.method === 'AssetTxFeePaid');
  const left = (await api.query.assets.account(DUSD, patient.address)).unwrap().balance.toBigInt();
  console.error(`[demo] the patient paid Charlie's clinic 5 dUSD; the fee, ${dusd(fee?.event.data.actualFee.toBigInt() ?? 0n)}, was paid in dUSD too (swapped to BTT through the pool); ${dusd(left)} left, still 0 BTT`);
  await api.disconnect();
}

main().catch((error) => {
  console.error(`[demo] payfi: ${error.message}`);
  process.exit(1);
});
