// A dispatched notebook carries its provenance in its own metadata (`metadata.airlock.provenance`),
// so the copy on Drive says which commit it was rendered from without another file in the run folder.
import { dirname, resolve } from 'node:path';
import { captureProvenance, type Provenance } from './provenance';

export function notebookWithProvenance(text: string, p: Provenance): string {
  try {
    const nb = JSON.parse(text) as { metadata?: Record<string, unknown> };
    if (!nb || typeof nb !== 'object') return text;
    const airlock = (nb.metadata?.airlock as Record<string, unknown> | undefined) ?? {};
    nb.metadata = { ...(nb.metadata ?? {}), airlock: { ...airlock, provenance: p } };
    return JSON.stringify(nb, null, 1) + '\n';
  } catch {
    return text;
  }
}

export async function stampNotebook(text: string, notebookPath: string): Promise<string> {
  return notebookWithProvenance(text, await captureProvenance(dirname(resolve(notebookPath))));
}

export function notebookProvenance(text: string): Provenance | undefined {
  try {
    const p = (JSON.parse(text) as { metadata?: { airlock?: { provenance?: Provenance } } }).metadata?.airlock?.provenance;
    return p && typeof p === 'object' ? p : undefined;
  } catch {
    return undefined;
  }
}
