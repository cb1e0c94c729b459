// One line about the chain every `every` seconds, for scripts/dev.sh's terminal: the best and
// finalized block, the extrinsics and events since the last line, and where the node's own log
// is (the node writes five lines a block; they go to that file, not to the terminal); and at
// each new era, its collators.
//
// Usage: node tests/demo/chain-status.js [ws://127.0.0.1:9944] [node log path] [every seconds]

import { ApiPromise, WsProvider } from '@polkadot/api';

import { FEE_ASSET_TYPES } from '../lib/tx.js';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const log = process.argv[3];
const every = Number(process.argv[4] ?? 30) * 1000;

async function main () {
  // Blocks with fees paid in dUSD decode only with BTT's fee-asset type (docs/runtime.md).
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, types: FEE_ASSET_TYPES });
  let extrinsics = 0;
  let best = 0;
  await api.rpc.chain.subscribeNewHeads(async (header) => {
    best = header.number.toNumber();
    try {
      const block = await api.rpc.chain.getBlock(header.hash);
      // Inherents (timestamp, parachain data) are not users' transactions.
      extrinsics += block.block.extrinsics.filter((xt) => xt.isSigned).length;
    } catch {
      // A block pruned before it was read: count nothing.
    }
  });
  // Each new era's collators (validator-scoring's election, docs/collator.md).
  let era = null;
  await api.query.staking.activeEra(async (active) => {
    const index = active.isSome ? active.unwrap().index.toNumber() : null;
    if (index === null || index === era) return;
    const first = era === null;
    era = index;
    if (first) return;
    const validators = await api.query.session.validators();
    console.error(`[chain] era ${index}: collators ${validators.map(String).join(', ')}`);
  });
  const line = async () => {
    const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    console.error(`[chain] block #${best}, finalized #${finalized}; ${extrinsics} signed transactions in the last ${every / 1000} s${log ? `; node log: ${log}` : ''}`);
    extrinsics = 0;
  };
  setInterval(() => { line().catch(() => {}); }, every);
}

main().catch((error) => {
  console.error(`[chain] status unavailable: ${error.message}`);
  process.exit(1);
});
