// Everything of Colab dispatch that needs the heavy libraries (@googleapis/drive,
// google-auth-library, playwright-core), as one entry. The build makes it a bundle of its own,
// dist/node_modules/airlock-colab, so neither the extension's activation nor the single-file CLI
// that is copied to GPU workers carries them; `loadColab()` loads it when a Colab command runs.
// Its classes are copies of the main bundle's: errors that cross are recognised by name
// (isCancelled, isColabError, isParamError), never with instanceof.
export { dispatchToColab, newRunId } from './dispatch';
export { DriveApi } from './driveClient';
export { signInWithLoopback } from './driveAuth';
export { downloadRunResults, driveFolderUrl, findRunFolder, listRunResults, readRunStatus } from './results';
