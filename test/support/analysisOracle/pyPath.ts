// Frozen copy of src/core/analysis/pyPath.ts at 803aebc (before streaming): the reference the new
// implementation is compared with in test/unit/analysis/oracle.unit.test.ts and bench/analysis.bench.ts.
// How Python prints a pathlib.Path built from a string: the originals print log paths and write them
// into CSV columns that way ("./runs//a/" → "runs/a"; ".." is kept), so ours must normalise identically.

/** `str(PurePosixPath(p))`: drops empty and "." parts and a trailing slash; keeps a leading "//". */
export function pyPathStr(p: string): string {
  if (p === '') return '.';
  const root = p.startsWith('//') && !p.startsWith('///') ? '//' : p.startsWith('/') ? '/' : '';
  const parts = p.split('/').filter((x) => x !== '' && x !== '.');
  return root + parts.join('/') || '.';
}

/** `str(Path(a) / b / ...)`: an absolute part restarts the path, as in Python. */
export function pyPathJoin(...parts: string[]): string {
  let acc = '';
  for (const part of parts) acc = part.startsWith('/') || acc === '' ? part : `${acc}/${part}`;
  return pyPathStr(acc);
}
