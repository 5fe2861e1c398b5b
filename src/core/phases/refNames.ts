// Ref names of the ref protocol. An entry's ref is `refs/airlock/<branch>/<entry>` on the remote
// (one compare-and-swap point per entry instead of one per branch), fetched into
// `refs/airlock-remote/<remote>/<branch>/<entry>`. Entry and branch names are percent-encoded into
// one ref component each: entry names may hold anything a file name may, refs may not
// (`git check-ref-format`: no space, `~^:?*[\`, control characters, `..`, a leading `.`).

/**
 * Percent-encodes every byte outside `[A-Za-z0-9_-]`, and a `.` that starts the text, follows a
 * `.`, ends it, or begins a final `.lock`.
 */
export function encodeRefPart(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  bytes.forEach((b, i) => {
    const c = String.fromCharCode(b);
    const last = i === bytes.length - 1;
    const lockSuffix = c === '.' && bytes.subarray(i).toString('latin1') === '.lock';
    if (/[A-Za-z0-9_-]/.test(c) || (c === '.' && out !== '' && !out.endsWith('.') && !last && !lockSuffix)) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  });
  return out;
}

export function decodeRefPart(s: string): string {
  return decodeURIComponent(s);
}

/** Where entry refs live on the remote. */
export function remoteEntryPrefix(branch: string): string {
  return `refs/airlock/${encodeRefPart(branch)}/`;
}

/** Where a clone keeps its copy of them after a fetch. */
export function trackingEntryPrefix(remote: string, branch: string): string {
  return `refs/airlock-remote/${encodeRefPart(remote)}/${encodeRefPart(branch)}/`;
}

/** The refspecs that fetch the branch and its entry refs (with --prune: deleted refs go too). */
export function queueRefspecs(remote: string, branch: string): string[] {
  return [`+refs/heads/${branch}:refs/remotes/${remote}/${branch}`, `+${remoteEntryPrefix(branch)}*:${trackingEntryPrefix(remote, branch)}*`];
}
