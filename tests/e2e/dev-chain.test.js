// btt-node --dev as a polkadot.js user meets it: metadata, token, block production and
// finality, a signed transfer, every runtime API under api.call, and a clean client console.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';

import { captureConsole } from '../lib/console-capture.js';
import { startDevNode } from '../lib/node.js';
import { sendAndFinalize } from '../lib/tx.js';

const UNITS = 10n ** 12n;

// Transaction extensions @polkadot/api does not know. They work unregistered only because
// they are zero-sized; a test below checks that against the metadata.
const ZERO_SIZED_EXTENSIONS = ['AuthorizeCall', 'StorageWeightReclaim'];

// Client messages that are expected and harmless: the zero-sized extensions above, and RPC
// methods newer than this client (the new JSON-RPC spec families the node serves).
const BENIGN_MESSAGES = [
  /Unknown signed extensions ([A-Za-z, ]+) found, treating them as no-effect/,
  /RPC methods not decorated:/
];

// Runtime APIs a wallet, explorer or collator relies on (camelCase as in api.call).
const REQUIRED_APIS = [
  'core', 'metadata', 'blockBuilder', 'taggedTransactionQueue', 'offchainWorkerApi',
  'sessionKeys', 'accountNonceApi', 'transactionPaymentApi', 'transactionPaymentCallApi',
  'genesisBuilder', 'auraApi', 'collectCollationInfo', 'xcmPaymentApi', 'dryRunApi',
  'assetConversionApi', 'validatorScoringApi'
];

function camel (name) {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Whether values of the metadata type `id` always encode to zero bytes. */
function encodesToNothing (registry, id) {
  const { def } = registry.lookup.getSiType(id);
  if (def.isTuple) return def.asTuple.every((field) => encodesToNothing(registry, field));
  if (def.isComposite) return def.asComposite.fields.every((field) => encodesToNothing(registry, field.type));
  if (def.isArray) return def.asArray.len.toNumber() === 0 || encodesToNothing(registry, def.asArray.type);
  return false;
}

describe('btt-node --dev through @polkadot/api', { timeout: 900_000 }, () => {
  let node, api, output, alice;

  before(async () => {
    output = captureConsole();
    node = await startDevNode();
    console.info(`btt-node RPC up after ${node.startupMs} ms at ${node.wsUrl}`);
    api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), throwOnConnect: true });
    await cryptoWaitReady();
    alice = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 }).addFromUri('//Alice');
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
    output?.restore();
  });

  it('serves metadata V15 or newer', () => {
    assert.ok(api.runtimeMetadata.version >= 15, `metadata version ${api.runtimeMetadata.version}`);
  });

  it('runs the btt runtime and announces BTT with 12 decimals', async () => {
    assert.equal(api.runtimeVersion.specName.toString(), 'btt');
    assert.deepEqual(api.registry.chainTokens, ['BTT']);
    assert.deepEqual(api.registry.chainDecimals, [12]);
    const properties = await api.rpc.system.properties();
    assert.equal(properties.tokenSymbol.unwrap()[0].toString(), 'BTT');
    assert.equal(properties.tokenDecimals.unwrap()[0].toNumber(), 12);
  });

  it('produces and finalizes blocks', { timeout: 120_000 }, async () => {
    const first = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    const later = await new Promise((resolve) => {
      const unsubscribe = api.rpc.chain.subscribeFinalizedHeads((header) => {
        if (header.number.toNumber() >= first + 2) {
          unsubscribe.then((unsub) => unsub());
          resolve(header.number.toNumber());
        }
      });
    });
    assert.ok(later >= first + 2);
  });

  it('finalizes a signed transfer from Alice with its events', { timeout: 180_000 }, async () => {
    const recipient = new Keyring({ type: 'sr25519' }).addFromUri(`//e2e/transfer/${Date.now()}`);
    const amount = 5n * UNITS;
    const before = (await api.query.system.account(alice.address)).data.free.toBigInt();

    const { blockHash, events, dispatchError } = await sendAndFinalize(
      api.tx.balances.transferKeepAlive(recipient.address, amount), alice);

    assert.equal(dispatchError, undefined, `dispatch error: ${dispatchError}`);
    const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
    assert.ok(transfer, 'a Balances.Transfer event');
    assert.equal(transfer.event.data.to.toString(), api.createType('AccountId', recipient.address).toString());
    assert.equal(transfer.event.data.amount.toBigInt(), amount);
    const feePaid = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
    assert.ok(feePaid && feePaid.event.data.actualFee.toBigInt() > 0n, 'a fee was paid');
    assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));

    const atBlock = await api.at(blockHash);
    assert.equal((await atBlock.query.system.account(recipient.address)).data.free.toBigInt(), amount);
    // 80 % of the fee goes to the treasury (`py/trsry`), the rest to the block's author: on the
    // dev chain Alice, the only collator.
    const fee = feePaid.event.data.actualFee.toBigInt();
    const toTreasury = fee * 80n / 100n;
    const header = await api.derive.chain.getHeader(blockHash);
    const aliceId = api.createType('AccountId', alice.address).toString();
    const treasuryId = encodeAddress(u8aConcat(stringToU8a('modlpy/trsry'), new Uint8Array(20)), api.registry.chainSS58);
    assert.equal(header.author?.toString(), aliceId, 'Alice authored the block');
    const depositTo = (who) => events.find(({ event }) => api.events.balances.Deposit.is(event)
      && event.data.who.toString() === who)?.event.data.amount.toBigInt();
    assert.equal(depositTo(aliceId), fee - toTreasury, 'the author received the rest of the fee');
    assert.equal(depositTo(treasuryId), toTreasury, 'the treasury received 80 % of the fee');
    const aliceAfter = (await atBlock.query.system.account(alice.address)).data.free.toBigInt();
    assert.equal(before - aliceAfter, amount + toTreasury);
  });

  it('shows every runtime API of the metadata under api.call', () => {
    const inMetadata = api.runtimeMetadata.asLatest.apis.map((entry) => camel(entry.name.toString()));
    for (const name of new Set([...inMetadata, ...REQUIRED_APIS])) {
      assert.ok(api.call[name], `api.call.${name} missing; api.call has ${Object.keys(api.call).join(', ')}`);
    }
  });

  it('answers runtime API calls that polkadot.js decodes', async () => {
    const nonce = await api.call.accountNonceApi.accountNonce(alice.address);
    assert.ok(nonce.toNumber() >= 1, 'Alice sent a transfer');
    const presets = (await api.call.genesisBuilder.presetNames()).map((p) => p.toString());
    assert.deepEqual(presets, ['development', 'local_testnet']);
    assert.equal((await api.call.auraApi.authorities()).length, 1);
    const tx = await api.tx.balances.transferKeepAlive(alice.address, UNITS).signAsync(alice);
    const info = await api.call.transactionPaymentApi.queryInfo(tx.toU8a(), tx.encodedLength);
    assert.ok(info.partialFee.toBigInt() > 0n, `partial fee ${info.partialFee}`);
    console.info(`fee of a signed transfer_keep_alive: ${info.partialFee.toBigInt()} plancks`);
    const dryRun = await api.call.dryRunApi.dryRunCall(
      { System: { Signed: alice.address } }, api.tx.system.remark('0x00').method, 5);
    assert.ok(dryRun.isOk && dryRun.asOk.executionResult.isOk, `dry run: ${dryRun.toString()}`);
  });

  it('uses only zero-sized transaction extensions unknown to polkadot.js', () => {
    const { registry } = api;
    // Metadata V15 calls them signed extensions, V16 transaction extensions.
    const { extrinsic } = api.runtimeMetadata.asLatest;
    const extensions = extrinsic.transactionExtensions ?? extrinsic.signedExtensions;
    const names = extensions.map((extension) => extension.identifier.toString());
    assert.ok(names.includes('StorageWeightReclaim') && names.includes('CheckNonce'), names.join(', '));
    for (const extension of extensions) {
      if (!ZERO_SIZED_EXTENSIONS.includes(extension.identifier.toString())) continue;
      for (const type of [extension.type, extension.implicit ?? extension.additionalSigned]) {
        assert.ok(encodesToNothing(registry, type), `${extension.identifier} is not zero-sized`);
      }
    }
  });

  it('printed no unknown types, decoding errors or other warnings', () => {
    const problems = output.lines
      .filter(({ method, text }) => method === 'warn' || method === 'error' || /unknown|unable|decod/i.test(text))
      .filter(({ text }) => {
        const unknownExtensions = text.match(BENIGN_MESSAGES[0]);
        if (unknownExtensions) {
          return !unknownExtensions[1].split(', ').every((name) => ZERO_SIZED_EXTENSIONS.includes(name));
        }
        return !BENIGN_MESSAGES.slice(1).some((pattern) => pattern.test(text));
      });
    assert.deepEqual(problems, [], 'client output:\n' + problems.map((p) => p.text).join('\n'));
  });
});
