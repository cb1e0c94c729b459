// Starts `btt-node --dev` on free loopback ports (RPC and p2p) with a temporary base path, waits until its
// RPC answers, and stops it (and removes its files) afterwards, whatever happened.

import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const defaultNode = join(process.env.HOME ?? '', '.cache/btt/target/debug/btt-node');

/** Path of the btt-node binary under test (`BTT_NODE`, else the default target dir). */
export function nodeBinary () {
  const binary = resolve(process.env.BTT_NODE ?? defaultNode);
  if (!existsSync(binary)) {
    throw new Error(`btt-node not found at ${binary}: build it with scripts/dev.sh or set BTT_NODE`);
  }
  return binary;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort () {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function rpcAnswers (httpUrl) {
  try {
    const response = await fetch(httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'system_health', params: [] })
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts a dev node. Resolves once RPC answers; rejects if the node exits first or does not
 * answer within `timeoutMs` (a debug node compiles the runtime at start: allow minutes).
 */
export async function startDevNode ({ timeoutMs = 600_000, extraArgs = [] } = {}) {
  const binary = nodeBinary();
  const basePath = mkdtempSync(join(tmpdir(), 'btt-e2e-'));
  const [rpcPort, p2pPort] = [await freePort(), await freePort()];
  const logPath = join(basePath, 'node.log');
  const log = createWriteStream(logPath);
  const child = spawn(binary, [
    '--dev',
    '--base-path', basePath,
    '--rpc-port', String(rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--no-prometheus',
    '--no-telemetry',
    '--no-mdns',
    ...extraArgs
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);

  let exited = null;
  child.once('exit', (code, signal) => { exited = { code, signal }; });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const node = {
    wsUrl: `ws://127.0.0.1:${rpcPort}`,
    httpUrl: `http://127.0.0.1:${rpcPort}`,
    logPath,
    async stop () {
      process.removeListener('exit', killOnExit);
      if (exited === null) {
        const gone = new Promise((resolveExit) => child.once('exit', resolveExit));
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await gone;
        clearTimeout(timer);
      }
      log.end();
      if (!process.env.BTT_KEEP_NODE_FILES) rmSync(basePath, { recursive: true, force: true });
    }
  };

  const started = Date.now();
  while (!(await rpcAnswers(node.httpUrl))) {
    if (exited !== null) {
      await node.stop().catch(() => {});
      throw new Error(`btt-node exited (${JSON.stringify(exited)}) before RPC came up; log was ${logPath}`);
    }
    if (Date.now() - started > timeoutMs) {
      process.env.BTT_KEEP_NODE_FILES = '1';
      await node.stop();
      throw new Error(`btt-node RPC did not answer within ${timeoutMs} ms; log kept at ${logPath}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
  node.startupMs = Date.now() - started;
  return node;
}

export const testsRoot = here;
