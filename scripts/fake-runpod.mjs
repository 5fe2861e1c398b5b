#!/usr/bin/env node
// Runs the fake RunPod (test/support/fakeRunpod) as a server for the demo and manual tries:
//   node scripts/fake-runpod.mjs [--port 4010] [--key rp_fake_key] [--start-after-ms 3000]
//                                [--never-ready] [--ssh 127.0.0.1:2222] [--stock N]
// Serves RunPod's GraphQL API at /graphql and its REST API v2 at /v2 (one state, both validated
// against their recorded contracts). Prints the two environment variables to export, then serves
// until SIGINT/SIGTERM:
//   export AIRLOCK_RUNPOD_ENDPOINT=http://127.0.0.1:4010/graphql RUNPOD_API_KEY=rp_fake_key
//   airlock pods offers --filter 'vram>=24 & price<0.5'        # REST v2 (the default)
//   airlock pods offers --api graphql                           # GraphQL (spot offers too)
// Switches at runtime: curl -XPOST $ENDPOINT_ROOT/__control -d '{"action":"setNeverReady","on":true}'
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    key: { type: 'string', default: 'rp_fake_key' },
    'start-after-ms': { type: 'string' },
    'start-after-polls': { type: 'string' },
    'never-ready': { type: 'boolean' },
    ssh: { type: 'string' },
    stock: { type: 'string' },
    json: { type: 'boolean' },
  },
});
const { startFakeRunpod } = await tsImport('../test/support/fakeRunpod/server.ts', import.meta.url);
const [sshIp, sshPort] = values.ssh ? values.ssh.split(':') : [];
const fake = await startFakeRunpod({
  port: Number(values.port),
  apiKey: values.key,
  neverReady: !!values['never-ready'],
  ...(values['start-after-ms'] ? { startAfterMs: Number(values['start-after-ms']), startAfterPolls: undefined } : {}),
  ...(values['start-after-polls'] ? { startAfterPolls: Number(values['start-after-polls']) } : {}),
  ...(values.ssh ? { sshEndpoint: { ip: sshIp, port: Number(sshPort) } } : {}),
  ...(values.stock ? { stockPerCloud: Number(values.stock) } : {}),
});
if (values.json) process.stdout.write(JSON.stringify({ endpoint: fake.endpoint, apiKey: fake.apiKey }) + '\n');
else process.stdout.write(`fake RunPod listening\nexport AIRLOCK_RUNPOD_ENDPOINT=${fake.endpoint} RUNPOD_API_KEY=${fake.apiKey}\n`);
const stop = async () => {
  await fake.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
