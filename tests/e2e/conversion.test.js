// Currencies on btt-node --dev through @polkadot/api, as a patient's wallet meets them: the
// development stablecoin dUSD (asset 1337, 6 decimals) and its BTT pool are there from genesis,
// quoted through the runtime API; a patient whose account holds dUSD and no BTT at all pays a
// transaction's fee in dUSD (signed with `assetId`), the fee swapped to BTT through the pool;
// naming a fee asset without a pool is refused before anything moves.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

import { startDevNode } from '../lib/node.js';
import { FEE_ASSET_TYPES, sendAndFinalize } from '../lib/tx.js';

const UNITS = 10n ** 12n;
const DUSD = 1337;
const USD = 10n ** 6n;
const NATIVE = 'Native';
const WITH_DUSD = { WithId: DUSD };

describe('currencies and fees in dUSD on btt-node --dev', { timeout: 600_000 }, () => {
  let node, api, alice, bob, patient;

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
    [alice, bob] = ['//Alice', '//Bob'].map((uri) => keyring.addFromUri(uri));
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
});
