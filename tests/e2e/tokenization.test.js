// The whole tokenization lifecycle on btt-node --dev through @polkadot/api, as its users meet
// it: a clinic (Charlie) tokenizes an X-ray unit, a registrar and KYC provider (Ferdie) and three
// valuers (Alice, Bob, Ferdie) vouch for it, an investor with KYC (Dave) buys fractions and is
// paid revenue, and an investor without KYC (Eve) is refused on every path that could move
// fractions to her. A patient's checkup paid to the clinic through its PayFi split pays a fifth
// of it, in dUSD, to the X-ray unit's fraction holders in the same extrinsic. The attacks of
// issue 17 that a user can try are refused with their errors.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { startDevNode } from '../lib/node.js';
import { billingCode, chainDay } from '../lib/payfi.js';
import { sendAndFinalize } from '../lib/tx.js';

const UNITS = 10n ** 12n;
const ASSET = 0;
const FRACTIONS = 1_000n;
const NATIVE = { Native: null };
const FAR = 10_000_000;
const DUSD = 1337;
const USD = 10n ** 6n;
const WITH_DUSD = { WithId: DUSD };

describe('tokenization on btt-node --dev', { timeout: 900_000 }, () => {
  let node, api;
  let alice, bob, clinic, investor, mallory, registrar;

  /** Sends and expects success. */
  async function ok (tx, signer) {
    const outcome = await sendAndFinalize(tx, signer);
    assert.equal(outcome.error, null, `${tx.method.section}.${tx.method.method} failed: ${outcome.error}`);
    return outcome;
  }

  /** The error a failed nested dispatch reported in `event`'s `field` (a DispatchResult). */
  function nestedError (event, field) {
    const result = event.data[field];
    assert.ok(result.isErr, `${event.section}.${event.method} succeeded`);
    const error = result.asErr;
    if (error.isModule) {
      const { section, name } = api.registry.findMetaError(error.asModule);
      return `${section}.${name}`;
    }
    return error.toString();
  }

  async function fractionsOf (who) {
    const [held] = await api.call.tokenizationApi.fractionsOf(ASSET, who.address);
    return held.toBigInt();
  }

  before(async () => {
    node = await startDevNode();
    api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), throwOnConnect: true });
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    [alice, bob, clinic, investor, mallory, registrar] =
      ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  it('governance accredits a registrar, three valuers and a KYC provider', { timeout: 120_000 }, async () => {
    const accredit = (role, who) => api.tx.tokenization.accredit(role, who.address);
    await ok(api.tx.sudo.sudo(api.tx.utility.batchAll([
      accredit('Registrar', registrar),
      accredit('Valuer', alice),
      accredit('Valuer', bob),
      accredit('Valuer', registrar),
      accredit('ClaimIssuer', registrar)
    ])), alice);
    // Accreditation is privileged.
    const denied = await sendAndFinalize(accredit('Valuer', mallory), mallory);
    assert.equal(denied.error, 'BadOrigin');
  });

  it('the clinic registers, the registrar attests, the valuers value, the clinic fractionalizes', { timeout: 240_000 }, async () => {
    const { events } = await ok(api.tx.tokenization.registerAsset(
      'Equipment', '0x4445', `0x${'07'.repeat(32)}`, 'ipfs://bafy-xray-unit'), clinic);
    assert.ok(events.some(({ event }) => api.events.tokenization.AssetRegistered.is(event)));
    assert.ok(events.some(({ event }) => api.events.nfts.Issued.is(event)), 'the twin is minted in pallet-nfts');

    await ok(api.tx.tokenization.attestOwnership(ASSET, FAR), registrar);
    await Promise.all([
      ok(api.tx.tokenization.submitValuation(ASSET, 25_000_000), alice),
      ok(api.tx.tokenization.submitValuation(ASSET, 26_000_000), bob)
    ]);
    // Two valuations are below the quorum of three: one valuer of two cannot set the value.
    assert.ok((await api.call.tokenizationApi.acceptedValuation(ASSET)).isNone);
    await ok(api.tx.tokenization.submitValuation(ASSET, 25_500_000), registrar);
    assert.equal((await api.call.tokenizationApi.acceptedValuation(ASSET)).unwrap().toBigInt(), 25_500_000n);
    assert.equal((await api.call.tokenizationApi.ownershipVerified(ASSET)).isTrue, true);

    await ok(api.tx.tokenization.fractionalize(ASSET, FRACTIONS), clinic);
    const details = (await api.call.tokenizationApi.asset(ASSET)).unwrap();
    assert.equal(details.fractions.unwrap().total.toBigInt(), FRACTIONS);
    assert.equal(await fractionsOf(clinic), FRACTIONS);
    const supply = (await api.query.fractionAssets.asset(ASSET)).unwrap().supply.toBigInt();
    assert.equal(supply, FRACTIONS);
  });

  it('the investor with KYC receives fractions', { timeout: 120_000 }, async () => {
    await ok(api.tx.tokenization.issueClaim(investor.address, 'Kyc', FAR, null), registrar);
    const verdict = await api.call.tokenizationApi.canTransfer(ASSET, clinic.address, investor.address, 100);
    assert.ok(verdict.isOk, verdict.toString());
    await ok(api.tx.tokenization.transferFractions(ASSET, investor.address, 100), clinic);
    assert.equal(await fractionsOf(investor), 100n);
    assert.equal((await api.call.tokenizationApi.holdersCount(ASSET)).toNumber(), 2);
  });

  it('the investor without KYC is refused on every path', { timeout: 300_000 }, async () => {
    const verdict = await api.call.tokenizationApi.canTransfer(ASSET, investor.address, mallory.address, 1);
    assert.ok(verdict.isErr);
    assert.equal(verdict.asErr.toString(), 'KycMissing');

    const direct = await sendAndFinalize(api.tx.tokenization.transferFractions(ASSET, mallory.address, 1), investor);
    assert.equal(direct.error, 'tokenization.KycMissing');

    const viaAssets = api.tx.fractionAssets.transfer(ASSET, mallory.address, 1);
    assert.equal((await sendAndFinalize(viaAssets, investor)).error, 'system.CallFiltered');

    const batch = await ok(api.tx.utility.batch([viaAssets]), investor);
    const interrupted = batch.events.find(({ event }) => api.events.utility.BatchInterrupted.is(event));
    assert.ok(interrupted, 'the batch stops at the fraction transfer');
    const { section, name } = api.registry.findMetaError(interrupted.event.data.error.asModule);
    assert.equal(`${section}.${name}`, 'system.CallFiltered');

    const multisig = api.tx.multisig.asMultiThreshold1([bob.address], viaAssets);
    assert.equal((await sendAndFinalize(multisig, investor)).error, 'system.CallFiltered');

    await ok(api.tx.proxy.addProxy(mallory.address, 'Any', 0), investor);
    for (const [call, expected] of [
      [viaAssets, 'system.CallFiltered'],
      [api.tx.tokenization.transferFractions(ASSET, mallory.address, 1), 'tokenization.KycMissing']
    ]) {
      const { events } = await ok(api.tx.proxy.proxy(investor.address, null, call), mallory);
      const executed = events.find(({ event }) => api.events.proxy.ProxyExecuted.is(event));
      assert.equal(nestedError(executed.event, 'result'), expected);
    }

    await ok(api.tx.tokenization.placeOrder(ASSET, 'Sell', 10, UNITS, NATIVE), clinic);
    const [[orderId]] = (await api.call.tokenizationApi.openOrders(ASSET)).map(([id, order]) => [id.toNumber(), order]);
    const take = await sendAndFinalize(api.tx.tokenization.takeOrder(orderId, 1), mallory);
    assert.equal(take.error, 'tokenization.KycMissing');
    const bid = await sendAndFinalize(api.tx.tokenization.placeOrder(ASSET, 'Buy', 1, UNITS, NATIVE), mallory);
    assert.equal(bid.error, 'tokenization.KycMissing');

    assert.equal(await fractionsOf(mallory), 0n);
  });

  it('the investor buys on the market and is paid its share of revenue', { timeout: 240_000 }, async () => {
    const [[orderId]] = (await api.call.tokenizationApi.openOrders(ASSET)).map(([id, order]) => [id.toNumber(), order]);
    const { events } = await ok(api.tx.tokenization.takeOrder(orderId, 4), investor);
    const filled = events.find(({ event }) => api.events.tokenization.OrderFilled.is(event));
    assert.equal(filled.event.data.payment.toBigInt(), 4n * UNITS);
    assert.ok(filled.event.data.fee.toBigInt() > 0n, 'a market fee goes to the treasury');
    assert.equal(await fractionsOf(investor), 104n);
    const [, order] = (await api.call.tokenizationApi.openOrders(ASSET))[0];
    assert.equal(order.remaining.toBigInt(), 6n);

    // The clinic pays 10 BTT of revenue; the investor holds 104 of 1,000 fractions.
    const revenue = 10n * UNITS;
    await ok(api.tx.tokenization.depositRevenue(ASSET, NATIVE, revenue), clinic);
    const claimable = await api.call.tokenizationApi.claimableRevenue(ASSET, investor.address);
    assert.equal(claimable.length, 1);
    assert.ok(claimable[0][0].isNative);
    const share = (revenue / FRACTIONS) * 104n;
    assert.equal(claimable[0][1].toBigInt(), share);

    const claim = await ok(api.tx.tokenization.claimRevenue(ASSET, NATIVE), investor);
    const claimed = claim.events.find(({ event }) => api.events.tokenization.RevenueClaimed.is(event));
    assert.equal(claimed.event.data.amount.toBigInt(), share);
    assert.equal((await api.call.tokenizationApi.claimableRevenue(ASSET, investor.address)).length, 0);
  });

  it('a checkup paid through the clinic\'s split pays the X-ray unit\'s investors their share in dUSD', { timeout: 240_000 }, async () => {
    const usd = async (who) => (await api.query.assets.account(DUSD, who.address)).unwrapOrDefault().balance.toBigInt();
    await ok(api.tx.sudo.sudo(api.tx.tokenization.setPaymentCurrencies([WITH_DUSD])), alice);
    await ok(api.tx.tokenization.setAcceptedCurrencies(ASSET, [WITH_DUSD]), clinic);
    await ok(api.tx.payfi.registerPayee(10), clinic);
    // The clinic keeps 80 % of a checkup; 20 % goes to the holders of the X-ray unit.
    const shares = [{ to: { Account: clinic.address }, part: 800_000 }, { to: { Asset: ASSET }, part: 200_000 }];
    const wrong = await sendAndFinalize(api.tx.payfi.setSplit(1, [shares[0]], 0), clinic);
    assert.equal(wrong.error, 'payfi.SharesNotWhole', 'parts must sum to 100 %');
    await ok(api.tx.payfi.setSplit(1, shares, 0), clinic);

    const day = await chainDay(api);
    const code = billingCode({ procedures: ['D0120', 'D0274'], claim: 'CL-SPLIT-1', patient: 'MRN-91', day, salt: 'tokenization-e2e' });
    const [clinicBefore, investorClaimable] = [await usd(clinic), await api.call.tokenizationApi.claimableRevenue(ASSET, investor.address)];
    assert.equal(investorClaimable.length, 0);
    const paid = await ok(api.tx.payfi.paySplit(clinic.address, 1, WITH_DUSD, WITH_DUSD, 50n * USD, 50n * USD, code), bob);

    const split = paid.events.find(({ event }) => api.events.payfi.SplitPaid.is(event)).event.data;
    const parts = split.parts.map(([to, amount]) => [to.isAsset ? 'asset' : to.asAccount.toString(), amount.toBigInt()]);
    assert.deepEqual(parts, [[clinic.address, 40n * USD], ['asset', 10n * USD]]);
    // The clinic keeps 80 %, less the one-time buffer the first dUSD revenue pays (the coin's
    // minimum balance, so the pallet's dUSD account exists; nobody's revenue).
    const buffer = (await api.query.assets.asset(DUSD)).unwrap().minBalance.toBigInt();
    assert.equal(await usd(clinic), clinicBefore + 40n * USD - buffer);
    // The investor holds 104 of 1,000 fractions: 10.4 % of the unit's 10 dUSD.
    const claimable = await api.call.tokenizationApi.claimableRevenue(ASSET, investor.address);
    assert.deepEqual(claimable.map(([currency, amount]) => [currency.toJSON(), amount.toBigInt()]), [[{ withId: DUSD }, 1_040_000n]]);
    const investorBefore = await usd(investor);
    await ok(api.tx.tokenization.claimRevenue(ASSET, WITH_DUSD), investor);
    assert.equal(await usd(investor), investorBefore + 1_040_000n);
    const statement = (await api.call.payfiApi.statement(clinic.address, day, day)).unwrap();
    const line = statement.find(([, , record]) => record.split.isSome);
    assert.ok(line, 'the split payment is one line of the clinic\'s statement');
    assert.equal(line[2].split.unwrap().toNumber(), 1);
  });

  it('the attacks a user can try are refused with their errors', { timeout: 300_000 }, async () => {
    // Revenue in a self-minted junk asset cannot fill the asset's currency slots.
    const JUNK = 4_242;
    await ok(api.tx.assets.create(JUNK, mallory.address, 1), mallory);
    await ok(api.tx.assets.mint(JUNK, mallory.address, 1_000_000), mallory);
    const junk = await sendAndFinalize(api.tx.tokenization.depositRevenue(ASSET, { WithId: JUNK }, 1_000), mallory);
    assert.equal(junk.error, 'tokenization.CurrencyNotAccepted');

    // A schedule paying every block, and one of u32::MAX payments, are refused.
    const everyBlock = await sendAndFinalize(
      api.tx.tokenization.scheduleRevenue(ASSET, NATIVE, UNITS, 1, 3), mallory);
    assert.equal(everyBlock.error, 'tokenization.PeriodTooShort');
    const day = api.consts.tokenization.minSchedulePeriod.toNumber();
    const forever = await sendAndFinalize(
      api.tx.tokenization.scheduleRevenue(ASSET, NATIVE, UNITS, day, 4_294_967_295), mallory);
    assert.ok(forever.dispatchError?.isToken && forever.dispatchError.asToken.isFundsUnavailable, forever.error);

    // A second claim issuer cannot overwrite the first one's KYC claim on the investor.
    await ok(api.tx.sudo.sudo(api.tx.tokenization.accredit('ClaimIssuer', bob.address)), alice);
    const overwrite = await sendAndFinalize(api.tx.tokenization.issueClaim(investor.address, 'Kyc', FAR, null), bob);
    assert.equal(overwrite.error, 'tokenization.ClaimHeldByAnotherIssuer');

    // A NonTransfer proxy of the investor cannot move its fractions or trade them.
    await ok(api.tx.proxy.addProxy(bob.address, 'NonTransfer', 0), investor);
    for (const call of [
      api.tx.tokenization.transferFractions(ASSET, bob.address, 1),
      api.tx.tokenization.placeOrder(ASSET, 'Sell', 1, UNITS, NATIVE)
    ]) {
      const { events } = await ok(api.tx.proxy.proxy(investor.address, null, call), bob);
      const executed = events.find(({ event }) => api.events.proxy.ProxyExecuted.is(event));
      assert.equal(nestedError(executed.event, 'result'), 'system.CallFiltered');
    }

    // New documents suspend the market until a registrar attests again.
    await ok(api.tx.tokenization.updateDocuments(ASSET, `0x${'08'.repeat(32)}`, 'ipfs://bafy-xray-unit-v2'), clinic);
    const [[orderId]] = (await api.call.tokenizationApi.openOrders(ASSET)).map(([id, order]) => [id.toNumber(), order]);
    const paused = await sendAndFinalize(api.tx.tokenization.takeOrder(orderId, 1), investor);
    assert.equal(paused.error, 'tokenization.TradingSuspended');
    await ok(api.tx.tokenization.attestOwnership(ASSET, FAR), registrar);
    await ok(api.tx.tokenization.takeOrder(orderId, 1), investor);

    // Unifying refunds every open order: a bid cannot outlive the fractions it was priced in.
    await ok(api.tx.tokenization.placeOrder(ASSET, 'Buy', 5, UNITS, NATIVE), investor);
    await ok(api.tx.tokenization.transferFractions(ASSET, clinic.address, 105), investor);
    const unified = await ok(api.tx.tokenization.unify(ASSET), clinic);
    const event = unified.events.find(({ event }) => api.events.tokenization.Unified.is(event));
    assert.equal(event.event.data.ordersClosed.toNumber(), 2);
    assert.equal((await api.call.tokenizationApi.openOrders(ASSET)).length, 0);
  });
});
