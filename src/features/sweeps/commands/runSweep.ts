import type * as vscode from 'vscode';
import type { SweepRun } from '../../../core/sweep/sweepRun';
import type { SweepsFeature } from '../sweepsFeature';
import { pickSweepConfig } from './pickSweepConfig';

/** Sweeps: Run Sweep / Dry Run — on the config given (explorer, tests) or picked. */
export async function runSweep(sweeps: SweepsFeature, target?: vscode.Uri | string, opts: { dryRun?: boolean } = {}): Promise<SweepRun | undefined> {
  const configPath = await pickSweepConfig(target);
  return configPath ? sweeps.start(configPath, 'run', opts) : undefined;
}
