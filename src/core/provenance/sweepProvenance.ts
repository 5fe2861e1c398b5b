// A sweep's cases each get `airlock-provenance.json` in their local results folder before they
// start: the commit (and bundle, dirty flag) of the folder the sweep was started from.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { captureProvenance, provenanceJson } from './provenance';

export const provenanceFileName = 'airlock-provenance.json';

export async function recordSweepProvenance(fromDir: string, caseDirs: string[]): Promise<void> {
  const text = provenanceJson(await captureProvenance(fromDir));
  for (const dir of caseDirs) {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, provenanceFileName), text);
  }
}
