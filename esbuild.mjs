// Builds every bundle and prints its size:
//   dist/extension.js   VS Code extension host (cjs, `vscode` external)
//   dist/cli.js         the `airlock` command line (single file, copied to GPU workers as is)
//   dist/node_modules/  Colab dispatch (airlock-colab), secret rules (airlock-secrets) and playwright-core, loaded on first use
//   dist/webview/*.js   browser bundles for the webview panels
//   out/test/vscode/*   the extension-host test suite (mocha), run inside code-server
import * as esbuild from 'esbuild';
import { readdirSync, statSync, mkdirSync, copyFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  analysisWorkerOptions,
  cliOptions,
  colabOptions,
  copyPlaywright,
  writeColabPackage,
  nativeOptional,
  nodeOptions,
  runtimeModules,
  secretsOptions,
  secretsRuntimePlugin,
  writeSecretsPackage,
} from './scripts/bundles.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const node = nodeOptions(production);

function testEntries(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix) || f === 'index.ts')
    .map((f) => join(dir, f));
}

const builds = [
  {
    ...node,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: [...nativeOptional, ...runtimeModules, 'vscode'],
    plugins: [secretsRuntimePlugin],
  },
  secretsOptions('dist', production),
  cliOptions('dist/cli.js', pkg.version, production),
  colabOptions('dist', production),
  analysisWorkerOptions('dist', production),
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: false,
    minify: production,
    logLevel: 'warning',
    entryPoints: { logs: 'webview-ui/logs/main.ts', matrix: 'webview-ui/matrix/main.ts' },
    outdir: 'dist/webview',
    loader: { '.css': 'css' },
  },
  {
    ...node,
    entryPoints: testEntries('test/vscode', '.vscode.test.ts'),
    outdir: 'out/test/vscode',
    external: [...nativeOptional, 'vscode', 'mocha'],
  },
];

function sizes() {
  const rows = [];
  for (const dir of ['dist', 'dist/webview', 'dist/node_modules/airlock-colab', 'dist/node_modules/airlock-secrets']) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isFile() && /\.(js|css)$/.test(f)) rows.push([relative('.', p), statSync(p).size]);
    }
  }
  for (const [p, s] of rows) console.log(`  ${p.padEnd(44)} ${(s / 1024).toFixed(1).padStart(8)} KiB`);
}

function copyAssets() {
  copyPlaywright('dist');
  writeColabPackage('dist', pkg.version);
  writeSecretsPackage('dist', pkg.version);
  mkdirSync('dist/webview', { recursive: true });
  const codicons = 'node_modules/@vscode/codicons/dist';
  if (existsSync(codicons)) {
    copyFileSync(join(codicons, 'codicon.css'), 'dist/webview/codicon.css');
    copyFileSync(join(codicons, 'codicon.ttf'), 'dist/webview/codicon.ttf');
  }
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('[esbuild] watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyAssets();
  console.log('[esbuild] bundle sizes:');
  sizes();
}
