// A raw notebook parameter must be exactly one Python literal. CPython's own ast.literal_eval is the
// oracle: for every string below, our verdict must equal whether literal_eval accepts it (one line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { checkPythonLiteral } from '../../../src/core/notebook/pyLiteralParse';
import { renderNotebook } from '../../../src/core/notebook/render';

const accepted = [
  'None',
  'True',
  'False',
  '...',
  '0',
  '-1',
  '+3',
  '1_000',
  '0x1F',
  '0o17',
  '0b1010',
  '3.',
  '.5',
  '1e-3',
  '2.5E+10',
  '1j',
  '1+2j',
  '-1.5-2j',
  '"s"',
  "'s'",
  'r"\\d+"',
  'b"\\x00"',
  'rb"x"',
  'u"x"',
  '"a" "b"',
  '"""triple"""',
  "'it\\'s'",
  '""',
  '[]',
  '()',
  '{}',
  '[1, 2, 3]',
  '[1, 2, 3,]',
  '(1,)',
  '("a", None)',
  '{"a": 1, "b": [1, 2]}',
  '{1, 2}',
  '[["--fp16"], {"k": (1, 2.5)}]',
  '  [ 1 ,2 ]  ',
];
const refused = [
  'EXTRA',
  'Ellipsis',
  'os.system("x")',
  '__import__("os").system("id")',
  '1; import os',
  '1\nimport os; os.system("touch /tmp/x")',
  'f"{__import__(\'os\')}"',
  '[1, 2',
  '"unterminated',
  '1 2',
  '[x for x in y]',
  'lambda: 0',
  '(1)(2)',
  '1 + x',
  '{"a"}[0]',
  'None()',
  'True or exec("x")',
  '',
  '-',
  '-"a"',
  '[1,,2]',
  '{1: }',
  'print',
  'Nonee',
  '0x',
  '1__0',
  '"a"\n"b"',
];

function pythonVerdicts(values: string[]): boolean[] | undefined {
  const py = spawnSync(
    '/usr/bin/python3',
    [
      '-c',
      `
import ast, json, sys
out = []
for s in json.load(sys.stdin):
    ok = "\\n" not in s and "\\r" not in s
    if ok:
        try:
            ast.literal_eval(s.strip())
        except Exception:
            ok = False
    out.append(ok)
print(json.dumps(out))`,
    ],
    { input: JSON.stringify(values), encoding: 'utf8' },
  );
  return py.status === 0 ? (JSON.parse(py.stdout) as boolean[]) : undefined;
}

test('accepts exactly what CPython ast.literal_eval accepts (one line)', async () => {
  const all = [...accepted, ...refused];
  const ours = all.map((s) => checkPythonLiteral(s.trim()).ok);
  assert.deepEqual(ours, [...accepted.map(() => true), ...refused.map(() => false)], 'our expectations');
  const oracle = pythonVerdicts(all);
  assert.ok(oracle, 'python3 runs (Debian python3 is installed by scripts/setup-system.sh)');
  all.forEach((s, k) => assert.equal(ours[k], oracle[k], `${JSON.stringify(s)}: ours ${ours[k]}, CPython ${oracle[k]}`));
  // Deliberately stricter than CPython: a trailing comment is refused (nothing needs one on a command line).
  assert.deepEqual(pythonVerdicts(['1 # comment']), [true]);
  assert.equal(checkPythonLiteral('1 # comment').ok, false);
});

const rawNotebook = JSON.stringify(
  {
    cells: [
      { cell_type: 'code', metadata: { tags: ['parameters'] }, outputs: [], execution_count: null, source: ['EXTRA = None\n', 'LAYERS = [1, 2]\n'] },
      {
        cell_type: 'code',
        metadata: {},
        outputs: [],
        execution_count: null,
        source: ['MODE = fast #@param ["fast", "slow"] {allow-input: true}\n', 'ARGS = [] #@param {type:"raw"}\n'],
      },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  },
  null,
  1,
);

test('notebook render: raw parameters take one literal; code after a newline is refused, naming the parameter', async () => {
  const attack = '1\nimport os; os.system("touch /tmp/airlock-pwned")';
  for (const name of ['EXTRA', 'LAYERS', 'MODE', 'ARGS']) {
    await assert.rejects(
      async () => renderNotebook(rawNotebook, 'nb.ipynb', { set: { [name]: attack } }),
      new RegExp(`^ParamError: ${name} takes one Python literal`),
      name,
    );
    await assert.rejects(
      async () => renderNotebook(rawNotebook, 'nb.ipynb', { set: { [name]: '__import__("os").system("id")' } }),
      /takes one Python literal/,
      name,
    );
  }
  const ok = await renderNotebook(rawNotebook, 'nb.ipynb', { set: { EXTRA: '{"lr": 3e-4}', LAYERS: '[4, 8]', ARGS: '["--fp16"]', MODE: '"turbo"' } });
  const nb = JSON.parse(ok.text) as { cells: { source: string[] }[] };
  assert.deepEqual(nb.cells[1]!.source, ['# Parameters\n', 'EXTRA = {"lr": 3e-4}\n', 'LAYERS = [4, 8]']);
  assert.equal(nb.cells[2]!.source[1], 'ARGS = ["--fp16"] #@param {type:"raw"}\n');
  assert.match(nb.cells[2]!.source[0]!, /^MODE = "turbo" #@param/);
  // The dropdown's own (unquoted) choices stay allowed: the template's author wrote them.
  const own = JSON.parse((await renderNotebook(rawNotebook, 'nb.ipynb', { set: { MODE: 'slow' } })).text) as { cells: { source: string[] }[] };
  assert.match(own.cells[1]!.source[0]!, /^MODE = slow #@param/);
  await assert.rejects(async () => renderNotebook(rawNotebook, 'nb.ipynb', { set: { MODE: 'turbo' } }), /MODE takes one Python literal/);
});
