// What activating Airlock costs, and what it leaves for later: prints ratios measured in this one
// run (never asserted).
//   npm run build && npx tsx bench/activation.bench.ts [runs]
// Each measurement is a fresh Node process (a cold require, as in a new extension host) that loads
// dist/extension.js with a stand-in `vscode` module and calls activate():
// - load: require(dist/extension.js); activate: activate(context) until it returns
// - against: loading the Colab bundle (dist/node_modules/airlock-colab, with the Google clients),
//   which activation must not do — it loads on the first Colab command
// - what activation loaded from outside the bundle (airlock-colab and playwright-core must not be there)
// - bundle sizes
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const runs = Number(process.argv[2] ?? 7);
const dist = (p: string) => join(root, 'dist', p);

// Runs in the child: a `vscode` module that answers every call with something harmless (views
// hidden, settings at their defaults, no secrets), then the timed require and activate.
const child = String.raw`
const Module = require('module');
const disposable = { dispose() {} };
const event = () => disposable;
const any = new Proxy(function () {}, { get: (_t, p) => (p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : any), apply: () => any, construct: () => any });
const obj = (o) => new Proxy(o, { get: (t, p) => (p in t ? t[p] : any) });
class EventEmitter { constructor() { this.event = event; } fire() {} dispose() {} }
class Base { constructor(...a) { this.args = a; } }
const memento = { get: (_k, d) => d, update: async () => {}, keys: () => [] };
const vscode = obj({
  EventEmitter, Disposable: class extends Base { static from() { return disposable; } dispose() {} },
  TreeItem: Base, ThemeIcon: Object.assign(class extends Base {}, { File: {}, Folder: {} }), ThemeColor: Base, MarkdownString: class extends Base { appendMarkdown() { return this; } },
  Uri: { file: (p) => ({ fsPath: p, path: p, scheme: 'file', toString: () => 'file://' + p }), parse: (s) => ({ toString: () => s }), joinPath: (u, ...p) => ({ fsPath: [u.fsPath, ...p].join('/') }) },
  window: obj({ createTreeView: () => obj({ visible: false, onDidChangeVisibility: event, onDidChangeSelection: event, dispose() {} }), createOutputChannel: () => obj({ info() {}, warn() {}, error() {}, debug() {}, trace() {}, appendLine() {}, dispose() {} }), createStatusBarItem: () => obj({ show() {}, hide() {}, dispose() {} }) }),
  workspace: obj({ getConfiguration: () => ({ get: (_k, d) => d, has: () => false, update: async () => {} }), workspaceFolders: undefined, onDidChangeConfiguration: event, onDidOpenNotebookDocument: event, notebookDocuments: [], createFileSystemWatcher: () => obj({ onDidChange: event, onDidCreate: event, onDidDelete: event, dispose() {} }) }),
  commands: obj({ registerCommand: () => disposable, executeCommand: async () => undefined }),
  extensions: obj({ getExtension: () => undefined }),
  env: any, Range: Base, StatusBarAlignment: { Left: 1, Right: 2 }, ProgressLocation: { Notification: 15, Window: 10 }, QuickPickItemKind: { Separator: -1, Default: 0 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 }, ViewColumn: { Active: -1, Beside: -2, One: 1 },
});
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const before = new Set(Object.keys(require.cache));
const context = { subscriptions: [], extensionUri: { fsPath: process.argv[1], path: process.argv[1] }, extensionPath: process.argv[1], globalStorageUri: { fsPath: '/tmp/airlock-bench' }, storageUri: undefined,
  secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: event }, workspaceState: memento, globalState: Object.assign({ setKeysForSync() {} }, memento),
  extension: { packageJSON: { version: 'bench' } } };
const t0 = performance.now();
const ext = require(process.argv[2]);
const t1 = performance.now();
ext.activate(context);
const t2 = performance.now();
const loaded = Object.keys(require.cache).filter((k) => !before.has(k) && k !== process.argv[2]);
let colab = 0;
if (process.argv[3]) { const c0 = performance.now(); require(process.argv[3]); colab = performance.now() - c0; }
process.stdout.write(JSON.stringify({ load: t1 - t0, activate: t2 - t1, colab, loaded }));
process.exit(0);
`;

interface Sample {
  load: number;
  activate: number;
  colab: number;
  loaded: string[];
}

function sample(withColab: boolean): Sample {
  const out = execFileSync(process.execPath, ['-e', child, root, dist('extension.js'), ...(withColab ? [dist('node_modules/airlock-colab/index.js')] : [])], {
    encoding: 'utf8',
    cwd: root,
  });
  return JSON.parse(out) as Sample;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (!existsSync(dist('extension.js'))) {
  console.error('dist/extension.js is missing: run npm run build first');
  process.exit(2);
}
const plain = Array.from({ length: runs }, () => sample(false));
// The Colab bundle is timed in processes of its own after activation (its require is as cold there).
const withColab = Array.from({ length: runs }, () => sample(true));
const load = median(plain.map((s) => s.load));
const activate = median(plain.map((s) => s.activate));
const colab = median(withColab.map((s) => s.colab));
const outside = [...new Set(plain.flatMap((s) => s.loaded))].map((p) => p.replace(`${root}/`, ''));

const kib = (p: string) => (existsSync(p) ? statSync(p).size / 1024 : NaN);
console.log(`activation bench: ${runs} cold processes each, medians`);
console.log(`  load dist/extension.js   ${load.toFixed(1).padStart(7)} ms`);
console.log(`  activate()               ${activate.toFixed(1).padStart(7)} ms`);
console.log(`  load the Colab bundle    ${colab.toFixed(1).padStart(7)} ms   (deferred to the first Colab command)`);
console.log(`  ratio  activation (load + activate) / Colab bundle load: ${((load + activate) / colab).toFixed(2)}`);
console.log(
  `  ratio  activation with the Colab bundle / without:       ${((load + activate + colab) / (load + activate)).toFixed(2)}  (what loading it eagerly would cost)`,
);
console.log(`  loaded at activation from outside the bundle: ${outside.length ? outside.join(', ') : 'nothing'}`);
const heavy = outside.filter((p) => /airlock-colab|playwright-core|googleapis|google-auth-library/.test(p));
console.log(`  heavy modules loaded at activation: ${heavy.length ? heavy.join(', ') : 'none'}`);
console.log('bundle sizes:');
for (const [name, p] of [
  ['dist/extension.js', dist('extension.js')],
  ['dist/cli.js', dist('cli.js')],
  ['dist/node_modules/airlock-colab/index.js', dist('node_modules/airlock-colab/index.js')],
] as const) {
  console.log(`  ${name.padEnd(42)} ${kib(p).toFixed(1).padStart(8)} KiB`);
}
