// Records what @polkadot/api prints (its logger writes through console.*), so tests can assert
// that a client sees no unknown types or decoding problems.

const METHODS = ['log', 'warn', 'error', 'info', 'debug'];

export function captureConsole () {
  const originals = {};
  const lines = [];
  for (const method of METHODS) {
    originals[method] = console[method];
    console[method] = (...args) => {
      lines.push({ method, text: args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ') });
      originals[method](...args);
    };
  }
  return {
    lines,
    restore () {
      for (const method of METHODS) console[method] = originals[method];
    }
  };
}
