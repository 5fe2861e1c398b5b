// The one quoting function for every value Airlock puts into a shell command line, local or remote.
// It is Python's shlex.quote byte for byte (a single quote becomes '"'"'), because the sweep's
// commands and dry-run transcript must equal the original BloomBee scripts' — and one rule
// everywhere means one thing to test with hostile strings.

/** Quotes `s` so a POSIX shell reads it back as exactly one word, unexpanded. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** shlex.join: each argument quoted, separated by spaces. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** POSIX shell variable names; anything else cannot be exported without being parsed as code. */
export function isShellName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** A remote path with a leading `~` left outside the quotes, so the remote shell expands the home directory. */
export function remotePathExpr(path: string): string {
  if (path === '~') return '~';
  if (path.startsWith('~/')) return `~/${shellQuote(path.slice(2))}`;
  return shellQuote(path);
}
