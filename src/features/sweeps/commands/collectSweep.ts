import type * as vscode from 'vscode';
import type { SweepRun } from '../../../core/sweep/sweepRun';
import type { SweepsFeature } from '../sweepsFeature';
import { pickSweepConfig } from './pickSweepConfig';

/** Sweeps: Collect — logs and matrices of a finished run of the config. */
export async function collectSweep(sweeps: SweepsFeature, target?: vscode.Uri | string): Promise<SweepRun | undefined> {
  const configPath = await pickSweepConfig(target);
  return configPath ? sweeps.start(configPath, 'collect') : undefined;
}
