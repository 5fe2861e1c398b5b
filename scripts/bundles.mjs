// esbuild options of the Node bundles, shared by the release build (esbuild.mjs) and the tests that
// bundle the CLI (test/support/cliBundle.ts), so tests run what ships.
//   dist/cli.js                           the `airlock` CLI: one file, copied as is to GPU workers
//   dist/node_modules/airlock-colab/      Colab dispatch with the Google clients (loaded on first use)
//   dist/node_modules/airlock-analysis-worker/  the worker thread `sweep collect` analyses cases on
//   dist/node_modules/airlock-secrets/    secretlint's rules for notebook render (the extension loads
//                                         them on first use; the one-file CLI bundles them inline)
//   dist/node_modules/playwright-core/    the browser driver; it reads its own files at run time, so
//                                         it is copied, never bundled
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
// ssh2 probes for optional native speed-ups inside try/catch; the pure-JS path is what ships.
export const nativeOptional = ['cpu-features', '*.node'];
/** Resolved at run time from dist/node_modules, never inside the extension or CLI bundle. */
export const runtimeModules = ['airlock-colab', 'playwright-core', 'airlock-analysis-worker'];

export function nodeOptions(production = false) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    legalComments: 'none',
    external: nativeOptional,
    // jsonc-parser's "main" is a UMD build with dynamic requires that esbuild cannot follow.
    mainFields: ['module', 'main'],
    absWorkingDir: repoRoot,
    // `import()` of a run-time module becomes require(): resolved like every other module of the
    // bundle (node_modules next to it), also inside VS Code's extension host.
    supported: { 'dynamic-import': false },
  };
}

export function cliOptions(outfile, version, production = false) {
  return {
    ...nodeOptions(production),
    entryPoints: ['src/cli/main.ts'],
    outfile,
    banner: { js: '#!/usr/bin/env node' },
    define: { AIRLOCK_VERSION: JSON.stringify(version) },
    external: [...nativeOptional, ...runtimeModules],
  };
}

/** The Colab bundle as a package under `outdir`/node_modules, where the CLI and extension find it. */
export function colabOptions(outdir, production = false) {
  return {
    ...nodeOptions(production),
    entryPoints: ['src/core/colab/colabBundle.ts'],
    outfile: join(outdir, 'node_modules/airlock-colab/index.js'),
    external: [...nativeOptional, 'playwright-core'],
  };
}

/** The analysis worker thread as a package under `outdir`/node_modules (found with require.resolve; a
 *  CLI copied alone to a GPU worker has none and analyses in its own thread). */
export function analysisWorkerOptions(outdir, production = false) {
  return {
    ...nodeOptions(production),
    entryPoints: ['src/core/analysis/analysisWorker.ts'],
    outfile: join(outdir, 'node_modules/airlock-analysis-worker/index.js'),
  };
}

/** For the extension: `import('./secretRules')` becomes the run-time module airlock-secrets. */
export const secretsRuntimePlugin = {
  name: 'airlock-secrets-runtime',
  setup(build) {
    build.onResolve({ filter: /[\\/]secretRules$/ }, () => ({ path: 'airlock-secrets', external: true }));
  },
};

/** secretlint and Airlock's extra patterns as a package under `outdir`/node_modules. */
export function secretsOptions(outdir, production = false) {
  return { ...nodeOptions(production), entryPoints: ['src/core/notebook/secretRules.ts'], outfile: join(outdir, 'node_modules/airlock-secrets/index.js') };
}

export function writeSecretsPackage(outdir, version) {
  writeFileSync(
    join(outdir, 'node_modules/airlock-secrets/package.json'),
    `${JSON.stringify({ name: 'airlock-secrets', version, private: true, main: 'index.js' }, null, 2)}\n`,
  );
}

/** The Colab bundle's package.json (run-time resolution needs no more than name and main). */
export function writeColabPackage(outdir, version) {
  writeFileSync(
    join(outdir, 'node_modules/airlock-colab/package.json'),
    `${JSON.stringify({ name: 'airlock-colab', version, private: true, main: 'index.js' }, null, 2)}\n`,
  );
}

/** Copies playwright-core (without its trace viewer, types and CLI) to `outdir`/node_modules. */
export function copyPlaywright(outdir) {
  const from = join(repoRoot, 'node_modules/playwright-core');
  const to = join(outdir, 'node_modules/playwright-core');
  const version = (p) => (existsSync(join(p, 'package.json')) ? JSON.parse(readFileSync(join(p, 'package.json'), 'utf8')).version : undefined);
  if (version(to) && version(to) === version(from)) return;
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true, filter: (src) => !/[\\/]playwright-core[\\/](lib[\\/]vite|types|bin)([\\/]|$)/.test(src) });
}
