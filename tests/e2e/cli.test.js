// The btt-node command line: help, chain-spec export from the built-in presets, benchmarks.
// (Chain specs are exported with `build-spec`; `chain-spec-builder` builds them from a wasm.)

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

import { nodeBinary } from '../lib/node.js';

const run = promisify(execFile);
const MAX_BUFFER = 256 * 1024 * 1024;

async function btt (...args) {
  return run(nodeBinary(), args, { maxBuffer: MAX_BUFFER });
}

describe('btt-node command line', { timeout: 300_000 }, () => {
  it('--help describes BTT and its subcommands', async () => {
    const { stdout } = await btt('--help');
    assert.match(stdout, /BTT oral-healthcare parachain collator/);
    for (const subcommand of ['build-spec', 'chain-spec-builder', 'export-genesis-wasm', 'benchmark', 'key', 'purge-chain']) {
      assert.match(stdout, new RegExp(`\\b${subcommand}\\b`), `--help lists ${subcommand}`);
    }
  });

  it('--version names the package version and commit', async () => {
    const { stdout } = await btt('--version');
    assert.match(stdout, /^btt-node \d+\.\d+\.\d+-\w+/);
  });

  it('exports the built-in development spec with BTT properties', async () => {
    const { stdout } = await btt('build-spec', '--chain', 'dev');
    const spec = JSON.parse(stdout);
    assert.equal(spec.name, 'BTT Development');
    assert.equal(spec.id, 'btt_dev');
    assert.equal(spec.chainType, 'Development');
    assert.deepEqual(spec.properties, { ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'BTT' });
    assert.equal(spec.para_id ?? spec.paraId, 2000);
    assert.ok(spec.genesis.runtimeGenesis.code.startsWith('0x'), 'the spec embeds the runtime wasm');
    assert.equal(spec.genesis.runtimeGenesis.patch.sudo.key.length > 0, true);
  });

  it('exports the local testnet spec as raw storage', async () => {
    const { stdout } = await btt('build-spec', '--chain', 'local', '--raw');
    const spec = JSON.parse(stdout);
    assert.equal(spec.id, 'btt_local');
    assert.ok(Object.keys(spec.genesis.raw.top).length > 20, 'raw genesis storage');
  });

  it('refuses an unknown chain with a clear message', async () => {
    await assert.rejects(btt('build-spec', '--chain', 'no-such-chain'), (error) => {
      assert.match(error.stderr, /neither `dev`, `local` nor a readable chain spec/);
      return true;
    });
  });

  it('lists the runtime benchmarks', async () => {
    const wasm = join(dirname(nodeBinary()), 'wbuild/btt-runtime/btt_runtime.wasm');
    assert.ok(existsSync(wasm), `runtime wasm at ${wasm}`);
    const { stdout } = await btt('benchmark', 'pallet', '--runtime', wasm,
      '--genesis-builder-preset', 'development', '--list=pallets');
    for (const pallet of ['pallet_balances', 'frame_system', 'pallet_assets', 'pallet_collator_selection']) {
      assert.match(stdout, new RegExp(`^${pallet}$`, 'm'), `${pallet} is benchmarkable`);
    }
  });
});
