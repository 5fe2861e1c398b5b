import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { notebookParams, renderNotebook } from '../../../src/core/notebook/render';
import { pyString } from '../../../src/core/notebook/pyLiteral';

const template = readFileSync('test/fixtures/notebook/colab_template.ipynb', 'utf8');
const papermill = readFileSync('test/fixtures/notebook/papermill.ipynb', 'utf8');

/** The lines that differ between two texts (same line count expected). */
function changedLines(a: string, b: string): [string, string][] {
  const x = a.split('\n');
  const y = b.split('\n');
  assert.equal(x.length, y.length, 'no line added or removed');
  return x.flatMap((l, i) => (l === y[i] ? [] : [[l, y[i]!] as [string, string]]));
}

test('the form parameters of a real-world Colab template, with their declared types', async () => {
  const { params } = notebookParams(template, 'tpl.ipynb');
  assert.deepEqual(
    params.map((p) => `${p.name}:${p.type}`),
    ['MODEL_NAME:string', 'BATCH_SIZE:integer', 'LEARNING_RATE:number', 'USE_LORA:boolean', 'DATASET:dropdown', 'MAX_STEPS:slider', 'RUN_NOTE:string'],
  );
  assert.deepEqual(params.find((p) => p.name === 'DATASET')?.options, ['alpaca', 'dolly', 'oasst']);
});

test('rendering changes exactly the parameters asked for, byte for byte', async () => {
  const r = await renderNotebook(template, 'tpl.ipynb', {
    set: { MODEL_NAME: 'my "quoted" \\ model', BATCH_SIZE: '16', USE_LORA: 'false', RUN_NOTE: "it's new" },
  });
  assert.deepEqual(r.changed.sort(), ['BATCH_SIZE', 'MODEL_NAME', 'RUN_NOTE', 'USE_LORA']);
  assert.deepEqual(changedLines(template, r.text), [
    [
      '    "MODEL_NAME = \\"meta-llama/Llama-2-7b-hf\\" #@param {type:\\"string\\"}\\n",',
      '    "MODEL_NAME = \\"my \\\\\\"quoted\\\\\\" \\\\\\\\ model\\" #@param {type:\\"string\\"}\\n",',
    ],
    ['    "BATCH_SIZE = 8 #@param {type:\\"integer\\"}\\n",', '    "BATCH_SIZE = 16 #@param {type:\\"integer\\"}\\n",'],
    ['    "USE_LORA = True #@param {type:\\"boolean\\"}\\n",', '    "USE_LORA = False #@param {type:\\"boolean\\"}\\n",'],
    ['    "RUN_NOTE = \'baseline\' #@param {type:\\"string\\"}\\n",', '    "RUN_NOTE = \'it\\\\\'s new\' #@param {type:\\"string\\"}\\n",'],
  ]);
  const nb = JSON.parse(r.text) as { cells: { source: string[] }[] };
  assert.equal(nb.cells[1]!.source[1], 'MODEL_NAME = "my \\"quoted\\" \\\\ model" #@param {type:"string"}\n');
  assert.equal(nb.cells[1]!.source[3], 'LEARNING_RATE = 3e-4  #@param {type:"number"}\n', 'untouched, spacing kept');
});

test('types are enforced: integers, numbers, booleans, dropdown choices', async () => {
  await assert.rejects(async () => renderNotebook(template, 't', { set: { BATCH_SIZE: '8.5' } }), /BATCH_SIZE is an integer, not "8.5"/);
  await assert.rejects(async () => renderNotebook(template, 't', { set: { LEARNING_RATE: 'fast' } }), /LEARNING_RATE is a number/);
  await assert.rejects(async () => renderNotebook(template, 't', { set: { USE_LORA: 'maybe' } }), /USE_LORA is a boolean/);
  await assert.rejects(async () => renderNotebook(template, 't', { set: { DATASET: 'c4' } }), /DATASET must be one of "alpaca", "dolly", "oasst"/);
  const r = await renderNotebook(template, 't', { set: { DATASET: 'dolly', MAX_STEPS: '1200', LEARNING_RATE: '1e-5' } });
  assert.equal(changedLines(template, r.text).length, 3);
  assert.match(r.text, /DATASET = \\"dolly\\" #@param \[/);
  assert.match(r.text, /MAX_STEPS = 1200 #@param/);
});

test('an unknown parameter is an error listing the known ones; secrets are refused', async () => {
  await assert.rejects(
    async () => renderNotebook(template, 'tpl.ipynb', { set: { EPOCHS: '3' } }),
    /tpl\.ipynb has no parameter "EPOCHS"; its parameters are MODEL_NAME \(string\), BATCH_SIZE \(integer\)/,
  );
  const withHook = template.replace('"RUN_NOTE = ', '"SLACK_WEBHOOK = \\"\\" #@param {type:\\"string\\"}\\n",\n    "RUN_NOTE = ');
  await assert.rejects(
    async () => renderNotebook(withHook, 't', { set: { SLACK_WEBHOOK: 'https://hooks.slack.com/services/T/B/X' } }),
    /looks like a secret; Airlock never writes secrets into a notebook/,
  );
  await assert.rejects(async () => renderNotebook(template, 't', { set: { RUN_NOTE: 'https://discord.com/api/webhooks/1/abc' } }), /looks like a secret/);
});

test('the GPU request goes into the metadata (and can be removed)', async () => {
  const l4 = JSON.parse((await renderNotebook(template, 't', { set: {}, gpu: 'L4' })).text) as {
    metadata: { accelerator?: string; colab: { gpuType?: string } };
  };
  assert.equal(l4.metadata.accelerator, 'GPU');
  assert.equal(l4.metadata.colab.gpuType, 'L4');
  const none = JSON.parse((await renderNotebook(template, 't', { set: {}, gpu: 'none' })).text) as {
    metadata: { accelerator?: string; colab: { gpuType?: string } };
  };
  assert.equal(none.metadata.accelerator, undefined);
  assert.equal(none.metadata.colab.gpuType, undefined);
  assert.equal((await renderNotebook(template, 't', { set: {} })).text, template, 'nothing asked, nothing changed');
});

test('papermill: a parameters-tagged cell gets an injected-parameters cell after it', async () => {
  const r = await renderNotebook(papermill, 'pm.ipynb', { set: { alpha: '0.9', name: 'sweep "b"', debug: 'true' } });
  const nb = JSON.parse(r.text) as { cells: { metadata: { tags?: string[] }; source: string[] }[] };
  assert.equal(nb.cells.length, 3);
  assert.deepEqual(nb.cells[1]!.metadata.tags, ['injected-parameters']);
  assert.deepEqual(nb.cells[1]!.source, ['# Parameters\n', 'alpha = 0.9\n', 'name = "sweep \\"b\\""\n', 'debug = True']);
  const again = JSON.parse((await renderNotebook(r.text, 'pm.ipynb', { set: { steps: '20' } })).text) as typeof nb;
  assert.equal(again.cells.length, 3, 'a second render replaces the injected cell');
  assert.deepEqual(again.cells[1]!.source, ['# Parameters\n', 'steps = 20']);
});

test('python string literals escape what Python needs', async () => {
  assert.equal(pyString('a\nb\t"c"\\'), '"a\\nb\\t\\"c\\"\\\\"');
  assert.equal(pyString("it's", "'"), "'it\\'s'");
});

test('the status writer: one cell before the first code cell, one at the end; the rest byte for byte; a re-render replaces them', async () => {
  const status = { runId: 'run-1', runDir: '/content/drive/MyDrive/Airlock/runs/run-1', mountDrive: true, requireGpu: 'T4' };
  const r = await renderNotebook(template, 't', { set: {}, status });
  const nb = JSON.parse(r.text) as { cells: { metadata: { id?: string; tags?: string[] }; source: string[] }[] };
  assert.deepEqual(
    nb.cells.map((c) => c.metadata.id),
    ['intro', 'airlock-status', 'form', 'train', 'report', 'airlock-status-done'],
  );
  const src = nb.cells[1]!.source.join('');
  assert.match(src, /^AIRLOCK_RUN_DIR = "\/content\/drive\/MyDrive\/Airlock\/runs\/run-1"$/m);
  assert.match(src, /"total": 5,/, 'three template code cells + two');
  assert.match(src, /_al_drive\.mount\("\/content\/drive"\)/);
  assert.match(src, /the run asked for T4/);
  // Every original line is still there, in order: the change is two inserted blocks.
  const orig = template.split('\n');
  const out = r.text.split('\n');
  let k = 0;
  for (const line of out) if (line === orig[k]) k++;
  assert.equal(k, orig.length, 'the template survives as a subsequence of the output');
  const again = await renderNotebook(r.text, 't', { set: {}, status: { ...status, runId: 'run-2', runDir: '/tmp/run-2' } });
  const nb2 = JSON.parse(again.text) as typeof nb;
  assert.equal(nb2.cells.length, 6, 'replaced, not stacked');
  assert.match(nb2.cells[1]!.source.join(''), /AIRLOCK_RUN_ID = "run-2"/);
  const noMount = JSON.parse((await renderNotebook(template, 't', { set: {}, status: { runId: 'x', runDir: '/tmp/x' } })).text) as typeof nb;
  assert.doesNotMatch(noMount.cells[1]!.source.join(''), /drive\.mount|asked for/);
});

test('the example Colab benchmark template: its form is read with every type, and a render changes exactly the lines asked for', async () => {
  const example = readFileSync('examples/notebooks/colab_benchmark_template.ipynb', 'utf8');
  const { params } = notebookParams(example, 'bench.ipynb');
  assert.deepEqual(
    params.map((p) => `${p.name}:${p.type}`),
    [
      'CHECKPOINT_DIR:string',
      'RESULTS_DIR:string',
      'TESTS_PER_CATEGORY:slider',
      'SEED:integer',
      'TEMPERATURE:number',
      'MAX_NEW_TOKENS:integer',
      'CATEGORIES:dropdown',
      'SAVE_ATTENTION:boolean',
      'GITHUB_REPO:string',
      'GITHUB_BRANCH:string',
      'RUN_LABEL:string',
      'EXTRA_ARGS:raw',
    ],
  );
  const r = await renderNotebook(example, 'bench.ipynb', {
    set: {
      CHECKPOINT_DIR: '/DBA/checkpoints/200k',
      TESTS_PER_CATEGORY: '5',
      SAVE_ATTENTION: 'yes',
      CATEGORIES: 'retrieval',
      RUN_LABEL: "Ana's run",
      EXTRA_ARGS: '["--fp16"]',
    },
  });
  assert.deepEqual(
    changedLines(example, r.text).map(([, after]) => after.trim()),
    [
      '"CHECKPOINT_DIR = \\"/DBA/checkpoints/200k\\" #@param {type:\\"string\\"}\\n",',
      '"TESTS_PER_CATEGORY = 5 #@param {type:\\"slider\\", min:5, max:100, step:5}\\n",',
      '"CATEGORIES = \\"retrieval\\" #@param [\\"all\\", \\"copying\\", \\"arithmetic\\", \\"retrieval\\", \\"reasoning\\"]\\n",',
      '"SAVE_ATTENTION = True #@param {type:\\"boolean\\"}\\n",',
      '"RUN_LABEL = \'Ana\\\\\'s run\' #@param {type:\\"string\\"}\\n",',
      '"EXTRA_ARGS = [\\"--fp16\\"] #@param {type:\\"raw\\"}"',
    ],
  );
  await assert.rejects(async () => renderNotebook(example, 'bench.ipynb', { set: { SEED: '4.2' } }), /SEED is an integer, not "4\.2"/);
});

test('secret refusal covers the common key formats (secretlint preset + additions), never echoing the value', async () => {
  // Made-up values in each provider's published format.
  const samples: Record<string, string> = {
    runpod: 'rpa_Q2XK7M4N8P1R5T9V3W6Y0Z2A4C6E8G1J3L5N7P9',
    aws: 'AKIA2E0A8F3B244C9986',
    google: 'AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe',
    slack: 'xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1',
    gitlab: 'glpat-8vQj2xkXVcUzEaDyTwBZ',
    github: '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',
    githubFine: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    hf: 'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH',
    openai: 'sk-proj-abcdefghijklmnopqrstuvwxyz012345',
    pem: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----',
    npm: 'npm_abcdefghijklmnopqrstuvwxyz0123456789',
    stripe: 'sk_live_abcdefghijklmnopqrstuvwx',
    slackHook: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  };
  for (const [kind, value] of Object.entries(samples)) {
    await assert.rejects(
      async () => renderNotebook(template, 't', { set: { RUN_NOTE: `key ${value} here` } }),
      (err: Error) => {
        assert.match(err.message, /^"RUN_NOTE" looks like a secret; .*matched: /, kind);
        assert.ok(!err.message.includes(value), `${kind}: the error must not repeat the secret`);
        return true;
      },
      kind,
    );
  }
  // Ordinary values still pass, and allowSecrets is the explicit way round.
  for (const ok of ['meta-llama/Llama-2-7b-hf', 'gs://bucket/run-1', 'AKIA is a prefix', 'sk-short', 'alpaca']) {
    assert.equal((await renderNotebook(template, 't', { set: { RUN_NOTE: ok } })).changed[0], 'RUN_NOTE', ok);
  }
  assert.equal((await renderNotebook(template, 't', { set: { RUN_NOTE: samples.aws! }, allowSecrets: true })).changed[0], 'RUN_NOTE');
});
