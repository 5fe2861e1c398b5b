import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePlan } from '../../../src/core/phases/plan';
import { entryIndex, expandPhase, renderCommand, runnerAllows, EntryNameCollision } from '../../../src/core/phases/entries';

const F = '.airlock/phases.json';
const good = `{
  // two phases
  "phases": [
    { "name": "p1", "axes": { "level": ["easy", "hard"], "model": ["llama_3_8b", "qwen"], "config": ["base"] }, "reruns": 2,
      "command": "python run.py --level {level} --model {model} --config {config} --rerun {rerun} --out {result} # {{literal}}" },
    { "name": "p2", "axes": { "model": ["a b", 7] }, "command": "run {model} {phase} {entry}", "vramGb": 40, "captureEnv": true }
  ],
  "runners": { "gpu-1": { "phases": ["p1"], "allow": { "model": ["qwen"] } } },
}`;

test('a plan parses: axes in order, defaults, runners', () => {
  const plan = parsePlan(good, F);
  assert.deepEqual(
    plan.phases.map((p) => [p.name, p.axes.map((a) => a.name), p.reruns, p.vramGb, p.captureEnv]),
    [
      ['p1', ['level', 'model', 'config'], 2, undefined, undefined],
      ['p2', ['model'], 1, 40, 'pip freeze'],
    ],
  );
  assert.deepEqual(plan.phases[1]!.axes[0]!.values, ['a b', '7']);
  assert.equal(plan.leaseSec, 600);
  assert.deepEqual(plan.runners, [{ host: 'gpu-1', phases: ['p1'], allow: { model: ['qwen'] } }]);
});

test('entry names follow the original layout and round-trip even with "_" inside values', () => {
  const plan = parsePlan(good, F);
  const names = expandPhase(plan.phases[0]!).map((e) => e.name);
  assert.deepEqual(names.slice(0, 3), ['easy_llama_3_8b_base_0.json', 'easy_llama_3_8b_base_1.json', 'easy_qwen_base_0.json']);
  assert.equal(names.length, 8);
  const index = entryIndex(plan);
  assert.deepEqual(index.get('hard_llama_3_8b_base_1.json')?.values, { level: 'hard', model: 'llama_3_8b', config: 'base' });
  assert.equal(index.get('hard_llama_3_8b_base_1.json')?.rerun, 1);
});

test('two value combinations that make the same name are refused', () => {
  const plan = parsePlan('{"phases":[{"name":"p","axes":{"a":["x_y","x"],"b":["z","y_z"]},"command":"c"}]}', F);
  assert.throws(
    () => expandPhase(plan.phases[0]!),
    (e: Error) => e instanceof EntryNameCollision && /x_y_z_0\.json/.test(e.message),
  );
});

test('the command gets every value shell-quoted; {{ }} are literal braces', () => {
  const plan = parsePlan(good, F);
  const e = entryIndex(plan).get('a b_0.json')!;
  assert.equal(renderCommand(plan.phases[1]!, e, '/r/a b_0.json'), "run 'a b' p2 'a b_0.json'");
  const e1 = entryIndex(plan).get('easy_qwen_base_1.json')!;
  assert.equal(
    renderCommand(plan.phases[0]!, e1, '/out/x.json'),
    'python run.py --level easy --model qwen --config base --rerun 1 --out /out/x.json # {literal}',
  );
  assert.equal(runnerAllows(plan.runners[0]!, e1), true);
  assert.equal(runnerAllows(plan.runners[0]!, entryIndex(plan).get('easy_llama_3_8b_base_0.json')!), false);
  assert.equal(runnerAllows(plan.runners[0]!, e), false, 'p2 is not among gpu-1 phases');
});

const bad: [string, string, RegExp][] = [
  ['{"phases": []}', 'empty', /:1: phases must be a non-empty array/],
  [
    '{"phases": [{"name": "p", "axes": {"m": ["a"]}, "command": "run {model}"}]}',
    'unknown var',
    /:1: phases\[0\]\.command uses \{model\}, which is not an axis of phase "p"/,
  ],
  [
    '{\n"phases": [\n{"name": "p",\n "axes": {"m": ["a"]}, "reruns": 0, "command": "c"}]}',
    'reruns',
    /:4: phases\[0\].reruns must be an integer ≥ 1, not number 0/,
  ],
  ['{"phases": [{"name": "p", "axes": {"m": ["a/b"]}, "command": "c"}]}', 'slash', /phases\[0\]\.axes\.m\[0\] "a\/b" cannot be part of a file name/],
  ['{"phases": [{"name": "p", "axes": {"rerun": ["a"]}, "command": "c"}]}', 'reserved', /"rerun" is reserved/],
  ['{"phases": [{"name": "p", "axes": {"m": ["a"]}, "command": "c", "comand": 1}]}', 'typo', /phases\[0\]\.comand is not a known field/],
  [
    '{"phases": [{"name": "p", "axes": {"m": ["a"]}, "command": "c"}], "runners": {"h": {"phases": ["q"]}}}',
    'runner phase',
    /runners\.h\.phases\[0\] "q" is not a phase/,
  ],
  ['{"phases": [{"name": "p", "axes": {"m": ["a"]}, "command": "c"},]', 'syntax', /:1: JSON syntax error/],
];
for (const [text, what, re] of bad) {
  test(`a bad plan names file, line and field: ${what}`, () => {
    assert.throws(
      () => parsePlan(text, F),
      (e: Error) => e.name === 'ConfigError' && e.message.startsWith(F) && re.test(e.message),
    );
  });
}
