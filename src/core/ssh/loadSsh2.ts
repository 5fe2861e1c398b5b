// ssh2 is loaded on first use so that activating the extension (and starting the CLI) does not pay
// for parsing and initialising it. It is a CommonJS module: depending on the loader, its exports
// arrive as named exports or under `default`, so take `default` when it is there.
type Ssh2 = typeof import('ssh2');

let loaded: Promise<Ssh2> | undefined;

export function loadSsh2(): Promise<Ssh2> {
  loaded ??= import('ssh2').then((mod) => ((mod as { default?: Ssh2 }).default ?? mod) as Ssh2);
  return loaded;
}
