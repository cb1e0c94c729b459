// Loads a small DePIN scenario into a running dev chain so that polkadot.js apps has something
// to show: Alice, Bob and Ferdie run tier-1 compute nodes, governance registered a caries
// model, Charlie (a clinic) posted a radiograph task that the three nodes computed, committed,
// revealed and had verified and paid, and a second task waits for its workers.
//
// Usage: node tests/demo/depin.js [ws://127.0.0.1:9944]

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { stringToU8a } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { commitmentOf, diagnosisOf, modelIdOf, registerConsumerNode, saltOf } from '../lib/depin.js';
import { sendAndFinalize } from '../lib/tx.js';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const UNITS = 10n ** 12n;
const NATIVE = { Native: null };

async function main () {
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const [alice, bob, clinic, ferdie] =
    ['//Alice', '//Bob', '//Charlie', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
  const nodes = [alice, bob, ferdie];
  const names = new Map([[alice.address, 'Alice'], [bob.address, 'Bob'], [ferdie.address, 'Ferdie']]);

  const step = async (label, tx, signer) => {
    const { error, events } = await sendAndFinalize(tx, signer);
    if (error) throw new Error(`${label}: ${error}`);
    console.error(`[demo] ${label}`);
    return events;
  };

  for (const node of nodes) {
    await step(`${names.get(node.address)} registered a tier-1 node (1,000 BTT stake)`,
      registerConsumerNode(api, node, 1_000n * UNITS), node);
  }
  const model = modelIdOf('btt-caries-cnn-v1.safetensors');
  await step('governance registered the caries model',
    api.tx.sudo.sudo(api.tx.depinRegistry.registerModel(model, 'CariesDetection', 1, 1)), alice);

  const post = async (n) => {
    const input = blake2AsHex(stringToU8a(`demo radiograph ${n}`), 256);
    const events = await step(`Charlie posted diagnostic task for radiograph ${n} (30 BTT in escrow)`,
      api.tx.depinRegistry.postTask({
        module: 'CariesDetection', model, inputHash: input,
        inputUri: `https://clinic.example/radiographs/${n}.png`,
        urgency: 'Routine', minTier: 'Consumer', region: null
      }, NATIVE, 30n * UNITS), clinic);
    const posted = events.find(({ event }) => api.events.depinRegistry.TaskPosted.is(event));
    return { task: posted.event.data.task.toNumber(), input };
  };

  const { task, input } = await post(1);
  const diagnosis = diagnosisOf(api, [1, 3]);
  for (const node of nodes) {
    const commitment = commitmentOf(api, { task, model, input, node: node.address, diagnosis, salt: saltOf(node.address, task) });
    await step(`${names.get(node.address)}'s node committed to its result`, api.tx.depinRegistry.commitResult(task, commitment), node);
  }
  for (const node of nodes) {
    await step(`${names.get(node.address)}'s node revealed`, api.tx.depinRegistry.revealResult(task, diagnosis, saltOf(node.address, task)), node);
  }
  const status = await api.call.depinApi.taskStatus(task);
  console.error(`[demo] task ${task}: ${status.toString()}`);
  const open = await post(2);
  console.error(`[demo] task ${open.task} waits for its workers (api.call.depinApi.nodeTasks); if none commits within `
    + 'the routine deadline (100 blocks), the chain slashes the no-shows, finds no fresh nodes and refunds Charlie');
  await api.disconnect();
}

main().catch((error) => {
  console.error(`[demo] ${error.message}`);
  process.exit(1);
});
