// Loads the Colab bundle (see colabBundle.ts) on first use. From the sources (tests, tsx) the
// package name maps to colabBundle.ts through tsconfig `paths`; in the built extension and CLI it
// is an external module that the build puts at dist/node_modules/airlock-colab.
import type * as ColabBundle from './colabBundle';

export type { ColabBundle };

let loaded: Promise<typeof ColabBundle> | undefined;

export function loadColab(): Promise<typeof ColabBundle> {
  loaded ??= import('airlock-colab').catch((err: NodeJS.ErrnoException) => {
    loaded = undefined;
    if (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error(
        'Colab support (dist/node_modules/airlock-colab) is not installed next to this Airlock — a single-file CLI copied to a worker has none; run Colab commands from the full installation',
      );
    }
    throw err;
  });
  return loaded;
}
