// The timing behind every tree's refresh (features/tree/treeRefresh.ts wraps it with VS Code's view):
// polls only while visible, a manual refresh is immediate, redraws are debounced and carry the
// changed nodes, and the elapsed-time tick runs only while the view is visible and a row is running.
// The old Sweeps and Notebooks trees ticked every second while hidden.
import { test, describe, beforeEach, afterEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import { RefreshSchedule } from '../../../src/core/refresh/refreshSchedule';

describe('RefreshSchedule', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] }));
  afterEach(() => mock.timers.reset());
  const flush = () => new Promise<void>((r) => setImmediate(r));

  test('the elapsed-time tick runs only while the view is visible and some row is running', () => {
    let visible = false;
    let running = ['run-1'];
    const fired: (string | undefined)[] = [];
    const s = new RefreshSchedule<string>({ visible: () => visible, runningNodes: () => running, fire: (n) => fired.push(n) });
    s.changed('run-1');
    mock.timers.tick(150);
    assert.deepEqual(fired, ['run-1'], 'the change itself is drawn (debounced)');
    mock.timers.tick(10_000);
    assert.equal(s.ticking, false, 'hidden: no ticker');
    assert.deepEqual(fired, ['run-1'], 'hidden: nothing redrawn for ten seconds');
    visible = true;
    s.schedule(); // the view became visible
    assert.equal(s.ticking, true);
    mock.timers.tick(3000);
    assert.deepEqual(fired, ['run-1', 'run-1', 'run-1', 'run-1'], 'visible: the running row once a second');
    visible = false;
    s.schedule();
    mock.timers.tick(5000);
    assert.equal(s.ticking, false);
    assert.equal(fired.length, 4, 'hidden again: the ticker stopped');
    visible = true;
    running = [];
    s.schedule();
    assert.equal(s.ticking, false, 'visible but nothing running: no ticker');
    s.dispose();
  });

  test('a hidden view does not poll; a visible one polls on its interval; a manual refresh is immediate and restarts it', async () => {
    let visible = false;
    let loads = 0;
    const fired: (string | undefined)[] = [];
    const s = new RefreshSchedule<string>({ visible: () => visible, intervalSec: () => 30, load: async () => void loads++, fire: (n) => fired.push(n) });
    s.schedule();
    mock.timers.tick(120_000);
    await flush();
    assert.equal(loads, 0, 'hidden: no poll');
    visible = true;
    s.schedule();
    mock.timers.tick(0);
    await flush();
    assert.equal(loads, 1, 'shown for the first time: loads at once');
    mock.timers.tick(29_000);
    await flush();
    assert.equal(loads, 1);
    await s.refreshNow();
    assert.equal(loads, 2, 'manual refresh loads now');
    assert.equal(fired.at(-1), undefined, 'and redraws the tree at once (no debounce)');
    mock.timers.tick(29_000);
    await flush();
    assert.equal(loads, 2, 'the interval restarted from the manual refresh');
    mock.timers.tick(1000);
    await flush();
    assert.equal(loads, 3);
    s.dispose();
    mock.timers.tick(60_000);
    await flush();
    assert.equal(loads, 3, 'disposed: nothing more');
  });

  test('keepPolling polls while hidden (the pods cost guard); interval 0 turns polling off', async () => {
    let keep = true;
    let loads = 0;
    let interval = 10;
    const s = new RefreshSchedule<string>({
      visible: () => false,
      keepPolling: () => keep,
      intervalSec: () => interval,
      load: async () => void loads++,
      fire: () => undefined,
    });
    s.schedule();
    mock.timers.tick(0);
    await flush();
    mock.timers.tick(10_000);
    await flush();
    assert.equal(loads, 2);
    keep = false;
    mock.timers.tick(10_000);
    await flush();
    assert.equal(loads, 3, 'the poll already armed runs once more');
    mock.timers.tick(60_000);
    await flush();
    assert.equal(loads, 3, 'then hidden polling stops');
    keep = true;
    interval = 0;
    s.schedule();
    mock.timers.tick(60_000);
    await flush();
    assert.equal(loads, 3, 'interval 0: no polling');
    s.dispose();
  });

  test('changes are debounced into one redraw; node changes stay node changes unless the whole tree changed', () => {
    const fired: (string | undefined)[] = [];
    const s = new RefreshSchedule<string>({ visible: () => true, fire: (n) => fired.push(n), debounceMs: 150 });
    s.changed('a');
    s.changed('b');
    s.changed('a');
    mock.timers.tick(149);
    assert.deepEqual(fired, []);
    mock.timers.tick(1);
    assert.deepEqual(fired, ['a', 'b']);
    s.changed('a');
    s.changed();
    mock.timers.tick(150);
    assert.deepEqual(fired, ['a', 'b', undefined], 'a root change covers the node changes');
    s.dispose();
  });
});
