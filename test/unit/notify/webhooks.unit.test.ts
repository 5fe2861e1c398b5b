// Webhooks against receivers on loopback: Slack gets `text`, Discord `content`, others JSON; a
// failing receiver gives an error that never contains the URL (it is a secret).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { notify, webhookKind, webhookPayload } from '../../../src/core/notify/webhooks';

async function receiver(status = 200) {
  const got: { path: string; body: unknown }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      got.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook/s3cret-token`, got, close: () => server.close() };
}

test('the payload fits the service: Slack text, Discord content (≤ 2000 chars), generic JSON', () => {
  assert.equal(webhookKind('https://hooks.slack.com/services/T/B/X'), 'slack');
  assert.equal(webhookKind('https://discord.com/api/webhooks/1/abc'), 'discord');
  assert.equal(webhookKind('https://example.org/x'), 'json');
  const n = { title: 'run 7', state: 'done' as const, detail: 'loss 0.12' };
  assert.deepEqual(Object.keys(webhookPayload('slack', n)), ['text']);
  assert.deepEqual(Object.keys(webhookPayload('discord', n)), ['content']);
  assert.equal((webhookPayload('discord', { ...n, detail: 'x'.repeat(3000) }).content as string).length, 2000);
  assert.deepEqual(webhookPayload('json', n), {
    source: 'airlock',
    title: 'run 7',
    state: 'done',
    detail: 'loss 0.12',
    url: null,
    text: '✅ run 7: done — loss 0.12',
  });
});

test('posts to a receiver; a failing receiver is reported without the URL', async () => {
  const ok = await receiver();
  await notify(ok.url, { title: 'nb', state: 'failed', detail: 'ZeroDivisionError' }, 'discord');
  assert.deepEqual(ok.got, [{ path: '/hook/s3cret-token', body: { content: '❌ nb: failed — ZeroDivisionError' } }]);
  ok.close();
  const bad = await receiver(404);
  await assert.rejects(
    notify(bad.url, { title: 'nb', state: 'done' }, 'slack'),
    (e: Error) => /slack webhook answered HTTP 404/.test(e.message) && !e.message.includes('s3cret'),
  );
  bad.close();
  await assert.rejects(
    notify('http://127.0.0.1:1/s3cret', { title: 'nb', state: 'done' }),
    (e: Error) => /could not be reached/.test(e.message) && !e.message.includes('s3cret'),
  );
});
