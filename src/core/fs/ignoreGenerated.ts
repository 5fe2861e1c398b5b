// Folders Airlock fills with generated files inside a workspace (a sweep's collected_runs/) carry a
// `.gitignore` of `*`, so Source Control does not count hundreds of logs as changes. Written once:
// a .gitignore the user already has there is theirs and is left alone.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './writeFileAtomic';

export const generatedIgnore = '# Written by Airlock: everything in this folder is generated. Delete this file to commit it.\n*\n';

export async function ignoreGenerated(dir: string): Promise<void> {
  const file = join(dir, '.gitignore');
  if (existsSync(file)) return;
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(file, generatedIgnore);
}
