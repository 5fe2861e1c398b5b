// The `airlock` CLI as one bundled file for tests that start many CLI processes (a worker per
// clone): esbuild once per test process, then plain `node` (no tsx start-up per process).
import { buildSync } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './codeServer';

let built: string | undefined;

export function cliBundle(): string {
  if (built) return built;
  const out = join(repoRoot, '.test-tmp', `airlock-cli-${process.pid}.js`);
  mkdirSync(join(repoRoot, '.test-tmp'), { recursive: true });
  buildSync({
    entryPoints: [join(repoRoot, 'src/cli/main.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    mainFields: ['module', 'main'], external: ['cpu-features', '*.node'], define: { AIRLOCK_VERSION: '"test"' }, logLevel: 'error',
  });
  built = out;
  return out;
}
