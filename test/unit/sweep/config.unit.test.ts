// Reading the original's config: every error names file, line and field; templates follow Python's
// str.format; env merges default_env.all < default_env.<role> < case.env.all < case.env.<role>;
// case tags and defaults are the original's.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseSweepConfigText } from '../../../src/core/sweep/sweepConfig';
import { ConfigError } from '../../../src/core/config/jsoncDoc';
import { planSweep, safeName } from '../../../src/core/sweep/sweepPlan';
import { formatPy, TemplateError } from '../../../src/core/sweep/pyTemplate';
import { PyFloat, PyInt, pyJsonDumps, type PyValue } from '../../../src/core/sweep/pyValue';

const base = (over: Record<string, unknown> = {}) => ({
  hosts: { dht: { host: 'h1' }, server1: { host: 'h2' }, server2: { host: 'h3' }, client: { host: 'h3' } },
  commands: { dht: 'dht', server1: 's1 {batch_size}', server2: 's2', client: 'c --bs {batch_size}' },
  cases: [{ name: 'a', vars: { batch_size: 8 } }],
  ...over,
});
const parse = (cfg: unknown, file = 'sweep.json') => parseSweepConfigText(JSON.stringify(cfg, null, 2), file);
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('expected a ConfigError');
}

describe('sweep config errors name file, line and field', () => {
  test('JSON syntax error at its line', () => {
    const e = configError(() => parseSweepConfigText('{\n  "hosts": {\n    "dht": {"host": "x"}\n    "server1": {}\n  }\n}', 'cfg.json'));
    assert.equal(e.file, 'cfg.json');
    assert.equal(e.line, 4);
    assert.match(e.message, /^cfg\.json:4: JSON syntax error: CommaExpected$/);
  });

  test('missing roles, commands and cases', () => {
    const noClient = base();
    delete (noClient.hosts as Record<string, unknown>).client;
    const e = configError(() => parse(noClient));
    assert.equal(e.field, 'hosts');
    assert.equal(e.line, 2);
    assert.match(e.message, /hosts is missing the role client$/);
    const cmds = base({ commands: { dht: 'x' } });
    assert.match(configError(() => parse(cmds)).message, /commands is missing the commands for server1, server2, client/);
    assert.match(configError(() => parse(base({ cases: [] }))).message, /sweep\.json:\d+: cases must be a non-empty list of cases/);
    const noHost = base({ hosts: { ...base().hosts, server2: { user: 'cc' } } });
    const h = configError(() => planSweep(parse(noHost)));
    assert.equal(h.field, 'hosts.server2.host');
  });

  test('a missing template variable names the case, the field and its line', () => {
    const cfg = base({
      cases: [
        { name: 'a', vars: { batch_size: 8 } },
        { name: 'b c', vars: {}, env: { server1: { X: '{nope}' } } },
      ],
    });
    const text = JSON.stringify(cfg, null, 2);
    const e = configError(() => planSweep(parseSweepConfigText(text, 'sweep.json'), { mode: 'queue' }));
    assert.equal(e.field, 'cases[1].env.server1.X');
    assert.equal(e.line, text.split('\n').findIndex((l) => l.includes('"X"')) + 1);
    assert.match(e.message, /uses \{nope\}, which is not defined for case 1 "b c" \(value: '\{nope\}'\)/);
    const cmd = configError(() => planSweep(parse(base({ cases: [{ name: 'z' }] })), { mode: 'queue' }));
    assert.equal(cmd.field, 'commands.server1');
    assert.match(cmd.message, /uses \{batch_size\}, which is not defined for case 0 "z"/);
  });

  test('typed fields: port, ints the sweep coerces, schedule numbers, roles', () => {
    assert.equal(configError(() => planSweep(parse(base({ host_defaults: { port: 'x22' } })))).field, 'host_defaults.port');
    assert.match(
      configError(() => planSweep(parse(base({ hosts: { ...base().hosts, dht: { host: 'h', port: 70000 } } })))).message,
      /hosts\.dht\.port must be a port number/,
    );
    const e = configError(() => planSweep(parse(base({ cases: [{ name: 'a', vars: { batch_size: '8x' } }] })), { mode: 'sequenced' }));
    assert.equal(e.field, 'cases[0].vars.batch_size');
    assert.match(e.message, /must be an integer for case 0 "a" \(invalid literal for int\(\) with base 10: '8x'\)/);
    assert.equal(configError(() => planSweep(parse(base({ schedule: { interval_sec: 'soon' } })), { mode: 'queue' })).field, 'schedule.interval_sec');
    assert.equal(configError(() => parse(base({ roles: { background: ['a'], foreground: 'a' } }))).field, 'roles.foreground');
  });

  test('unknown keys are warnings, not errors (the original ignored them), each as FILE:LINE: field problem', () => {
    const cfg = base({ extra: 1, schedule: { interval: 5 } }) as { hosts: Record<string, Record<string, unknown>>; cases: Record<string, unknown>[] };
    cfg.hosts.server1!.hostname = 'typo';
    cfg.cases[0]!.varz = {};
    const text = JSON.stringify(cfg, null, 2);
    const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
    const plan = planSweep(parseSweepConfigText(text, 'sweep.json'), { mode: 'queue' });
    for (const [field, needle] of [
      ['extra', '"extra"'],
      ['hosts.server1.hostname', '"hostname"'],
      ['cases[0].varz', '"varz"'],
    ] as const) {
      assert.ok(plan.warnings.includes(`sweep.json:${lineOf(needle)}: ${field} is not a known field (ignored)`), `${field}: ${plan.warnings.join(' | ')}`);
    }
    assert.ok(plan.warnings.includes(`sweep.json:${lineOf('"interval"')}: schedule.interval is not a schedule key (ignored)`), plan.warnings.join(' | '));
  });

  test('env keys must be shell identifiers; a run_tag must not leave the local root', () => {
    const bad = base() as { default_env?: unknown; cases: Record<string, unknown>[]; schedule?: unknown };
    bad.cases[0]!.env = { all: { 'K;touch /tmp/x;X': '1' } };
    const e = configError(() => parse(bad));
    assert.equal(e.field, 'cases[0].env.all.K;touch /tmp/x;X');
    assert.match(e.message, /^sweep\.json:\d+: .* is not an environment variable name/);
    for (const tag of ['../up', '/abs', 'a/b', '..']) {
      const t = configError(() => parse(base({ schedule: { run_tag: tag } })));
      assert.equal(t.field, 'schedule.run_tag', tag);
    }
  });
});

describe('templating, env and tags', () => {
  const ctx = new Map<string, PyValue>([
    ['n', new PyInt(84n)],
    ['f', new PyFloat(1)],
    ['s', 'x y'],
    ['t', true],
    ['none', null],
  ]);
  test('str.format: {{ }} are literal braces; ints, floats, bools and None print as Python does', () => {
    assert.equal(formatPy("awk '{{print $1}}' {n} {f} {t} {none} {s!r} {n:>5} {f:.2f}", ctx), "awk '{print $1}' 84 1.0 True None 'x y'    84 1.00");
    assert.throws(() => formatPy('{a', ctx), TemplateError);
    assert.throws(() => formatPy('a}', ctx), /Single '}' encountered/);
    assert.throws(() => formatPy('{}', ctx), /positional field/);
    assert.throws(
      () => formatPy('{missing}', ctx),
      (e: unknown) => e instanceof TemplateError && e.missing === 'missing',
    );
  });

  test('env merge order, export quoting, context variables, case_tag and defaults', () => {
    const cfg = base({
      shared_vars: { model: 'm', batch_size: 1 },
      default_env: { all: { A: 'all', B: 'all', C: 'all', D: 'all' }, server1: { B: 'role', C: 'role', D: 'role' } },
      cases: [
        {
          name: 'bs 8/mb:2',
          vars: { batch_size: 8 },
          env: { all: { C: 'case', D: 'case' }, server1: { D: '{case_tag}|{case_index}|{case_name}|{run_tag}|{model} x' } },
        },
        { vars: { batch_size: 16 } },
      ],
      commands: { dht: 'dht', server1: 's1 {batch_size}', server2: 's2 {case_root}', client: 'c' },
    });
    // JSON.stringify cannot write 16.0; the original config would have a float there.
    const parsed = () => parseSweepConfigText(JSON.stringify(cfg, null, 2).replace('"batch_size": 16', '"batch_size": 16.0'), 'sweep.json');
    const plan = planSweep(parsed(), { mode: 'sequenced', runTag: 'RT', localRoot: './out//' });
    const [c0, c1] = plan.cases;
    assert.equal(c0!.tag, 'RT_000_bs_8_mb_2');
    assert.equal(c1!.name, 'case_001');
    assert.equal(c1!.tag, 'RT_001_case_001');
    const s1 = c0!.background[1]!;
    assert.equal(s1.name, 'RT_000_bs_8_mb_2_server1');
    assert.equal(s1.log, '/tmp/bb_sensitivity_runs/RT_000_bs_8_mb_2/server1.log');
    assert.equal(s1.localLog, 'out/RT_000_bs_8_mb_2/server1.log');
    assert.equal(s1.jobCmd, "cd /root/BloomBee && export A=all B=role C=case D='RT_000_bs_8_mb_2|0|bs 8/mb:2|RT|m x' && s1 8");
    assert.equal(c1!.background[1]!.jobCmd, 'cd /root/BloomBee && export A=all B=role C=role D=role && s1 16', 'the sweep coerces batch_size with int()');
    assert.equal(c0!.background[2]!.jobCmd, 'cd /root/BloomBee && export A=all B=all C=case D=case && s2 /tmp/bb_sensitivity_runs/RT_000_bs_8_mb_2');
    assert.deepEqual([c0!.ints.batch_size, c0!.ints.eval_tokens, c0!.ints.offload, c0!.ints.policy_w_gpu_percent], [8n, 200n, 1n, 100n]);
    const queue = planSweep(parsed(), { mode: 'queue', runTag: 'RT' });
    assert.equal(
      queue.cases[1]!.background[0]!.jobCmd,
      'cd /home/cc/BloomBee && export A=all B=role C=role D=role && s1 16.0',
      'the queue renders the float as Python str() does',
    );
    assert.equal(queue.shared[0]!.name, 'RT_dht_shared');
    assert.equal(queue.shared[0]!.log, '/home/cc/bb_sweep_runs/RT/shared_dht.log');
    assert.equal(queue.shared[0]!.jobCmd, 'cd /home/cc/BloomBee && export A=all B=all C=all D=all && dht', 'the shared DHT gets default_env only');
    assert.equal(safeName('a/b é-1.2_x!'), 'a_b_é-1.2_x_', 'str.isalnum keeps non-ASCII letters');
  });

  test('generalised roles: any number of background roles, one foreground role, per-role waits', () => {
    const cfg = {
      roles: { background: ['db', 'w1', 'w2', 'w3'], foreground: 'bench', shared: [] },
      hosts: { db: { host: 'a' }, w1: { host: 'a' }, w2: { host: 'b' }, w3: { host: 'b', user: 'u', port: 2222 }, bench: { host: 'local' } },
      commands: { db: 'db', w1: 'w', w2: 'w', w3: 'w', bench: 'b' },
      schedule: { wait_after_w3_sec: 0.5 },
      cases: [{ name: 'x' }],
    };
    const plan = planSweep(parse(cfg), { mode: 'sequenced', runTag: 'T' });
    assert.deepEqual(
      plan.cases[0]!.background.map((j) => j.role),
      ['db', 'w1', 'w2', 'w3'],
    );
    assert.equal(plan.cases[0]!.foreground.log, '/tmp/bb_sensitivity_runs/T_000_x/inference.log');
    assert.equal(plan.schedule.waitAfter.get('w3'), 0.5);
    assert.equal(plan.schedule.waitAfter.get('db'), 30);
    assert.equal(plan.hosts.get('w3')!.address, 'u@b');
    assert.equal(plan.hosts.get('bench')!.spec.kind, 'local');
  });

  test('config_used.json is Python json.dumps(indent=2): floats, escapes, empty containers, big ints', () => {
    const extra = '{"a": [1, 2.0, 1e-7, true, null, "é\\"\\\\\\n\\u2028😀", {}], "b": {}, "c": [], "d": 12345678901234567890}';
    const cfg = parseSweepConfigText(JSON.stringify(base()).replace(/^\{/, `{"extra": ${extra},`), 'x.json');
    assert.equal(
      pyJsonDumps(cfg.raw.get('extra')!),
      '{\n  "a": [\n    1,\n    2.0,\n    1e-07,\n    true,\n    null,\n    "\\u00e9\\"\\\\\\n\\u2028\\ud83d\\ude00",\n    {}\n  ],\n  "b": {},\n  "c": [],\n  "d": 12345678901234567890\n}',
    );
  });
});

describe('collect validates only what it uses (#15)', () => {
  test('an invalid server2 template and an env template the shared roles cannot render stop a run, not a collect', () => {
    const cfg = parse(
      base({
        commands: { dht: 'dht', server1: 's1', server2: 's2 {missing', client: 'c' },
        default_env: { all: { BS: '{batch_size}' } },
        schedule: { reuse_dht: true, run_tag: 't' },
      }),
    );
    assert.throws(
      () => planSweep(cfg, { mode: 'queue' }),
      (e: Error) => e.name === 'ConfigError',
    );
    const plan = planSweep(cfg, { mode: 'queue', renderJobs: false });
    assert.deepEqual(
      plan.cases.map((c) => c.tag),
      ['t_000_a'],
    );
    assert.equal(plan.cases[0]!.foreground.localLog.endsWith('inference.log'), true);
  });
});
