// What an entry ref points to: a commit whose message says what it is — `claim <entry>` (a claim,
// empty tree), `done <entry>` or `failed <entry>` (a tree with the result or failure files, folded
// into the branch later) — with the JSON record in the message body.
import { parseClaim, type Claim } from './claims';
import { git } from './git';
import { decodeRefPart, trackingEntryPrefix } from './refNames';
import type { FailureRecord } from './snapshot';

export type EntryRefKind = 'claim' | 'done' | 'failed';

export interface EntryRef {
  oid: string;
  kind: EntryRefKind;
  /** For a claim. */
  claim?: Claim;
  /** For a failure. */
  failure?: FailureRecord;
  /** The token of the claim a result or failure was published under. */
  token?: string;
}

export function entryRefMessage(kind: EntryRefKind, entry: string, record: object): string {
  return `${kind} ${entry}\n\n${JSON.stringify(record)}\n`;
}

export function parseEntryRefMessage(message: string): Omit<EntryRef, 'oid'> | undefined {
  const nl = message.indexOf('\n');
  const subject = nl < 0 ? message : message.slice(0, nl);
  const kind = subject.split(' ')[0];
  if (kind !== 'claim' && kind !== 'done' && kind !== 'failed') return undefined;
  let record: Record<string, unknown> = {};
  try {
    record = JSON.parse(message.slice(nl + 1).trim() || '{}') as Record<string, unknown>;
  } catch {
    /* an unreadable record: the kind still decides the state */
  }
  const token = typeof record.token === 'string' ? record.token : undefined;
  if (kind === 'claim') return { kind, claim: parseClaim(JSON.stringify(record)), ...(token ? { token } : {}) };
  if (kind === 'failed') {
    const failure = {
      host: String(record.host ?? 'unknown'),
      exitCode: typeof record.exitCode === 'number' ? record.exitCode : null,
      reason: String(record.reason ?? ''),
      failedAt: String(record.failedAt ?? ''),
    };
    return { kind, failure, ...(token ? { token } : {}) };
  }
  return { kind, ...(token ? { token } : {}) };
}

export interface RefsRead {
  /** The fetched branch tip (undefined: the remote has no such branch yet). */
  branchOid?: string;
  refs: Map<string, EntryRef>;
}

/** The fetched branch and every entry ref, with their messages, in one `for-each-ref`. */
export async function readEntryRefs(dir: string, remote: string, branch: string, signal?: AbortSignal): Promise<RefsRead> {
  const prefix = trackingEntryPrefix(remote, branch);
  const branchRef = `refs/remotes/${remote}/${branch}`;
  const r = await git(dir, ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(contents)%00', branchRef, prefix], { signal });
  const out: RefsRead = { refs: new Map() };
  for (const rec of r.stdout.split('\0\n')) {
    const [name, oid, contents = ''] = rec.split('\0');
    if (!name || !oid) continue;
    if (name === branchRef) out.branchOid = oid;
    else if (name.startsWith(prefix)) {
      const parsed = parseEntryRefMessage(contents);
      if (parsed) out.refs.set(decodeRefPart(name.slice(prefix.length)), { oid, ...parsed });
    }
  }
  return out;
}
