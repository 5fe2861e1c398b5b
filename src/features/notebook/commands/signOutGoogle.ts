import type { NotebookDeps } from '../notebookDeps';

/** Colab: Sign Out of Google (the stored credentials are removed). */
export async function signOutGoogle(d: NotebookDeps): Promise<void> {
  await d.credentials.signOut();
}
