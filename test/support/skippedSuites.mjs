// Preloaded into every node:test process by test/run.mjs (`--import`). node:test never runs the
// body of a skipped suite (`describe(name, { skip: reason }, …)`), so its tests vanish from every
// count: on a machine without sshd, half the integration tier disappeared and the last line still
// read "N passed, 0 failed". Here a skipped suite instead runs its body in "enumerate" mode: every
// test inside is registered as skipped with the suite's reason (so reporters see and count it by
// name), hooks do nothing (no sshd is started), nested suites are enumerated the same way.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const nt = require('node:test');
const original = {
  describe: nt.describe,
  suite: nt.suite,
  it: nt.it,
  test: nt.test,
  before: nt.before,
  after: nt.after,
  beforeEach: nt.beforeEach,
  afterEach: nt.afterEach,
};

/** The reason of the skipped suite whose body is being enumerated, or undefined. */
let enumerating;

function split(args) {
  const [name, a, b] = args;
  if (typeof a === 'function') return { name, opts: {}, fn: a };
  return { name, opts: a ?? {}, fn: b };
}

function wrapSuite(orig) {
  const wrapped = function (...args) {
    const { name, opts, fn } = split(args);
    const reason = enumerating ?? (opts.skip ? (typeof opts.skip === 'string' ? opts.skip : 'skipped') : undefined);
    if (!reason || typeof fn !== 'function') return orig(...args);
    const { skip: _skip, ...rest } = opts;
    return orig(name, rest, () => {
      const outer = enumerating;
      enumerating = reason;
      // Tests and hooks are swapped only while a skipped body runs (it runs synchronously), so
      // every other test is registered by node:test's own function and keeps its file and line.
      if (outer === undefined) swap(true);
      try {
        fn();
      } catch (err) {
        // A suite body that needs its component even to declare tests: still one visible skip.
        original.test(`${name} (its tests could not be listed: ${err?.message ?? err})`, { skip: reason }, () => undefined);
      } finally {
        enumerating = outer;
        if (outer === undefined) swap(false);
      }
    });
  };
  return Object.assign(wrapped, orig);
}

function wrapTest(orig) {
  const wrapped = function (...args) {
    if (enumerating === undefined) return orig(...args);
    const { name, opts } = split(args);
    return orig(name, { ...opts, skip: enumerating }, () => undefined);
  };
  return Object.assign(wrapped, orig);
}

function wrapHook(orig) {
  return function (...args) {
    if (enumerating !== undefined) return undefined;
    return orig(...args);
  };
}

const enumerators = { it: wrapTest(original.it), test: wrapTest(original.test) };
for (const hook of ['before', 'after', 'beforeEach', 'afterEach']) enumerators[hook] = wrapHook(original[hook]);

function swap(on) {
  for (const k of Object.keys(enumerators)) nt[k] = on ? enumerators[k] : original[k];
  // Make `import { test } from 'node:test'` (ESM named bindings) follow the CommonJS exports.
  syncBuiltinESMExports();
}

nt.describe = wrapSuite(original.describe);
nt.suite = wrapSuite(original.suite);
syncBuiltinESMExports();
