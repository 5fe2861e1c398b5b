import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAirlockLine, uniqueStreamNames } from '../../../src/core/logs/streamNames';
import { LogStore } from '../../../src/core/logs/logStore';

test('Live Logs names are unique within a group, repeated titles numbered from the second', () => {
  const names = uniqueStreamNames([
    { id: 'a', title: 'client@local', group: ['sweep run', '000'] },
    { id: 'b', title: 'client@local', group: ['sweep run', '001'] },
    { id: 'c', title: 'client@local', group: ['sweep run', '001'] },
    { id: 'd', title: 'pod x' },
    { id: 'e', title: 'pod x' },
  ]);
  assert.deepEqual([...names.values()], ['client@local', 'client@local', 'client@local (2)', 'pod x', 'pod x (2)']);
  assert.ok(isAirlockLine('[airlock] exited with 3') && !isAirlockLine('airlock says hi'));
});

test('a stream keeps its group, and each line when it arrived', () => {
  const store = new LogStore({ batchMs: 1 });
  const id = store.create({ title: 't', source: 'local', kind: 'job', group: ['phase workers'] });
  const before = Date.now();
  store.append(id, ['one']);
  assert.deepEqual(store.info(id)?.group, ['phase workers']);
  const [line] = store.range(id, 0, 1);
  assert.ok(line && line.at >= before && line.at <= Date.now());
  store.dispose();
});
