// Python's shlex.quote / shlex.join: the original quotes remote commands this way ('"'"' for a single
// quote), and both the commands we run and the ones a dry run prints must be byte-identical to it.

export function shlexQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

export function shlexJoin(argv: readonly string[]): string {
  return argv.map(shlexQuote).join(' ');
}
