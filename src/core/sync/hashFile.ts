import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/** The git blob id of a file (what the Hub reports as `oid` for a file that is not in LFS). */
export async function gitBlobSha1File(path: string): Promise<string> {
  const h = createHash('sha1');
  h.update(`blob ${(await stat(path)).size}\0`);
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}
