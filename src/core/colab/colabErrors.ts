// Why a Colab run could not go on, as a code the editor can branch on and a message that says
// what to do. A screenshot of the page at that moment is attached when there was a page.

export type ColabErrorCode =
  | 'sign-in-needed'
  | 'no-gpu'
  | 'drive-not-authorised'
  | 'runtime-disconnected'
  | 'timeout'
  | 'no-status'
  | 'page-changed'
  | 'browser-missing'
  | 'transport-failed';

export class ColabError extends Error {
  override readonly name = 'ColabError';
  constructor(
    readonly code: ColabErrorCode,
    message: string,
    public screenshot?: string,
  ) {
    super(message);
  }
}

/** By name, not class: a ColabError thrown inside the Colab bundle (colabBundle.ts) is another class. */
export function isColabError(err: unknown): err is ColabError {
  return err instanceof Error && err.name === 'ColabError' && typeof (err as ColabError).code === 'string';
}

export const colabAdvice: Record<ColabErrorCode, string> = {
  'sign-in-needed':
    'Colab needs a Google sign-in: run once with --headed (or "Show browser" in the editor), sign in in the window, and later runs reuse the profile headless',
  'no-gpu': 'Colab has no GPU for this account right now (free-tier usage limits or the type is not offered): try later, pick another --gpu, or use Colab Pro',
  'drive-not-authorised':
    'the notebook asked to mount Google Drive and nobody allowed it: run once with --headed and click "Connect to Google Drive", then allow access',
  'runtime-disconnected': 'the Colab runtime disconnected (idle timeout, maximum session length or a crash); results written so far are on Drive',
  timeout: 'the run did not finish in time; raise --timeout for long runs',
  'no-status': 'the notebook never reported its status to Drive: it did not start, or Drive is not mounted at the path Airlock expects',
  'page-changed': "Colab's page did not look as expected — if Colab changed its UI, update src/core/colab/colabSelectors.json",
  'browser-missing': 'no Chrome or Chromium found: install one, or set AIRLOCK_CHROME to its path (Airlock never downloads a browser)',
  'transport-failed': "Google's colab command-line tool failed",
};
