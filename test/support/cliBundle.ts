// The `airlock` CLI bundled as the release build bundles it (scripts/bundles.mjs), for tests that
// start many CLI processes (a worker per clone): esbuild once per test process, then plain `node`
// (no tsx start-up per process). The Colab bundle goes beside it, in node_modules, as in dist/.
import { buildSync } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { analysisWorkerOptions, cliOptions, colabOptions, writeColabPackage } from '../../scripts/bundles.mjs';
import { repoRoot } from './codeServer';

let built: string | undefined;

export function cliBundle(): string {
  if (built) return built;
  const dir = join(repoRoot, '.test-tmp', `airlock-cli-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'cli.js');
  buildSync({ ...cliOptions(out, 'test'), sourcemap: false, logLevel: 'error' });
  buildSync({ ...colabOptions(dir), sourcemap: false, logLevel: 'error' });
  buildSync({ ...analysisWorkerOptions(dir), sourcemap: false, logLevel: 'error' });
  writeColabPackage(dir, 'test');
  built = out;
  return out;
}
