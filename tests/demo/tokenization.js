// Loads a small tokenization scenario into a running dev chain so that polkadot.js apps has
// something to show: Ferdie is registrar, KYC provider and valuer, Alice and Bob are valuers, Charlie
// (a clinic) tokenized an X-ray unit into 1,000 fractions, Dave (KYC) holds 100 and can claim
// revenue, and Charlie offers 10 more for sale. Eve has no KYC.
//
// Usage: node tests/demo/tokenization.js [ws://127.0.0.1:9944]

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { sendAndFinalize } from '../lib/tx.js';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const UNITS = 10n ** 12n;
const FAR = 100_000_000;
const NATIVE = { Native: null };

async function main () {
  // The provider retries until the node (still compiling its runtime) answers.
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const [alice, bob, clinic, dave, ferdie] =
    ['//Alice', '//Bob', '//Charlie', '//Dave', '//Ferdie'].map((uri) => keyring.addFromUri(uri));

  const step = async (label, tx, signer) => {
    const { error } = await sendAndFinalize(tx, signer);
    if (error) throw new Error(`${label}: ${error}`);
    console.error(`[demo] ${label}`);
  };

  const accredit = (role, who) => api.tx.tokenization.accredit(role, who.address);
  await step('governance accredited Ferdie (registrar, KYC provider), Alice, Bob and Ferdie (valuers)',
    api.tx.sudo.sudo(api.tx.utility.batchAll([
      accredit('Registrar', ferdie), accredit('ClaimIssuer', ferdie),
      accredit('Valuer', alice), accredit('Valuer', bob), accredit('Valuer', ferdie)
    ])), alice);
  const asset = (await api.query.tokenization.nextAssetId()).toNumber();
  await step(`Charlie registered asset ${asset}, an X-ray unit in DE`,
    api.tx.tokenization.registerAsset('Equipment', '0x4445', `0x${'07'.repeat(32)}`, 'ipfs://bafy-demo-xray-unit'), clinic);
  await step('Ferdie attested the ownership', api.tx.tokenization.attestOwnership(asset, FAR), ferdie);
  await Promise.all([
    step('Alice valued it at 250,000.00 USD', api.tx.tokenization.submitValuation(asset, 25_000_000), alice),
    step('Bob valued it at 260,000.00 USD', api.tx.tokenization.submitValuation(asset, 26_000_000), bob),
    step('Ferdie valued it at 255,000.00 USD', api.tx.tokenization.submitValuation(asset, 25_500_000), ferdie)
  ]);
  await step('Charlie divided it into 1,000 fractions', api.tx.tokenization.fractionalize(asset, 1_000), clinic);
  await step('Ferdie issued a KYC claim for Dave', api.tx.tokenization.issueClaim(dave.address, 'Kyc', FAR, null), ferdie);
  await step('Charlie transferred 100 fractions to Dave', api.tx.tokenization.transferFractions(asset, dave.address, 100), clinic);
  await step('Charlie paid 10 BTT of revenue', api.tx.tokenization.depositRevenue(asset, NATIVE, 10n * UNITS), clinic);
  await step('Charlie offered 10 fractions at 1 BTT each', api.tx.tokenization.placeOrder(asset, 'Sell', 10, UNITS, NATIVE), clinic);

  const claimable = await api.call.tokenizationApi.claimableRevenue(asset, dave.address);
  console.error(`[demo] Dave can claim ${claimable.map(([c, a]) => `${Number(a.toBigInt()) / 1e12} (${c.isNative ? "BTT" : c.toString()})`).join(", ")}`);
  console.error('[demo] try in polkadot.js apps: Developer → Runtime calls → tokenizationApi, or');
  console.error('[demo] Extrinsics → tokenization.transferFractions from Dave to Eve (refused: no KYC)');
  await api.disconnect();
}

main().catch((error) => {
  console.error(`[demo] ${error.message}`);
  process.exit(1);
});
