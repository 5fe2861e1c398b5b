// The JSON Schema and snippets for sweep configs: valid JSON, every key the original configs use is
// described, and the snippets' config parses and plans without errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSweepConfigText } from '../../../src/core/sweep/sweepConfig';
import { planSweep } from '../../../src/core/sweep/sweepPlan';

const schema = JSON.parse(readFileSync('schemas/sweep.schema.json', 'utf8'));

test('the schema describes every key of the original example configs', () => {
  for (const file of ['cluster_launch_config.example.json', 'sequenced_tradeoff_windows_aliases.example.json']) {
    const cfg = JSON.parse(readFileSync(`test/fixtures/sweep/bloombee/${file}`, 'utf8'));
    for (const k of Object.keys(cfg)) assert.ok(schema.properties[k], `${file}: ${k}`);
    for (const k of Object.keys(cfg.schedule)) assert.ok(schema.properties.schedule.properties[k] || /^wait_after_.+_sec$/.test(k), `${file}: schedule.${k}`);
    for (const k of Object.keys(cfg.host_defaults)) assert.ok(schema.properties.host_defaults.properties[k], `${file}: host_defaults.${k}`);
  }
});

test('the config snippet (placeholders filled with their defaults) is a valid sweep config', () => {
  const snippets = JSON.parse(readFileSync('snippets/sweep.code-snippets', 'utf8'));
  const body = (snippets['Airlock sweep config'].body as string[])
    .join('\n')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$0/, JSON.stringify({ name: 'c', vars: { batch_size: 1, seq_len: 8, eval_tokens: 2, lossless_wrapper: 0 } }));
  const plan = planSweep(parseSweepConfigText(body, 'snippet.json'), { mode: 'sequenced' });
  assert.equal(plan.cases[0]!.tag, 'my_sweep_000_c');
  assert.deepEqual(plan.warnings, []);
});
