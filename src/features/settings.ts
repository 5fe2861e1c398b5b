import * as vscode from 'vscode';
import { settingIds } from '../ids';
import type { GpuChoice } from '../core/notebook/render';
import type { TierRule } from '../core/hosts/tiers';

/** Every Airlock setting, typed, with the defaults declared in package.json. */
export interface AirlockSettings {
  sshConfigPath: string;
  sshKeepaliveIntervalSec: number;
  sshConnectTimeoutSec: number;
  hostsRefreshIntervalSec: number;
  hostsShowSshConfigAliases: boolean;
  hostsDiskWarnPercent: number;
  hostsWorkDir: string;
  slurmRefreshIntervalSec: number;
  syncRefreshIntervalSec: number;
  /** Shell lines run on the compute node before a Jupyter server starts (module load, venv). */
  slurmJupyterSetup: string;
  tiers: TierRule[];
  logsMaxLinesPerStream: number;
  phasesPlanPath: string;
  phasesRefreshIntervalSec: number;
  phasesWorkerName: string;
  podsEndpoint: string;
  podsApi: 'rest' | 'graphql';
  podsIdleStopMinutes: number;
  podsMaxHours: number;
  podsBudgetPerDay: number;
  /** Daily budget per project (`project` metadata) in USD. */
  podsProjectBudgets: Record<string, number>;
  podsRefreshIntervalSec: number;
  podsIdleWarnMinutes: number;
  podsAutoStopIdleMinutes: number;
  podsDefaultImage: string;
  podsReadyTimeoutSec: number;
  podsSshIdentityFile: string;
  sweepsLocalRoot: string;
  colabGpu: GpuChoice;
  colabDriveFolder: string;
  colabDriveRootId: string;
  colabMountRoot: string;
  colabTimeoutMinutes: number;
  colabPollSec: number;
  colabTransport: 'auto' | 'browser' | 'colab-cli';
  colabBrowserPath: string;
  colabShowBrowser: boolean;
  colabResultsDir: string;
}

export function readSettings(): AirlockSettings {
  const c = vscode.workspace.getConfiguration('airlock');
  return {
    // The environment override lets tests and the demo point at their own ssh config.
    sshConfigPath: process.env.AIRLOCK_SSH_CONFIG || c.get<string>(settingIds.sshConfigPath, '~/.ssh/config'),
    sshKeepaliveIntervalSec: c.get<number>(settingIds.sshKeepaliveIntervalSec, 15),
    sshConnectTimeoutSec: c.get<number>(settingIds.sshConnectTimeoutSec, 10),
    hostsRefreshIntervalSec: c.get<number>(settingIds.hostsRefreshIntervalSec, 60),
    slurmRefreshIntervalSec: c.get<number>(settingIds.slurmRefreshIntervalSec, 15),
    syncRefreshIntervalSec: c.get<number>(settingIds.syncRefreshIntervalSec, 15),
    slurmJupyterSetup: c.get<string>(settingIds.slurmJupyterSetup, ''),
    hostsShowSshConfigAliases: c.get<boolean>(settingIds.hostsShowSshConfigAliases, true),
    hostsDiskWarnPercent: c.get<number>(settingIds.hostsDiskWarnPercent, 90),
    hostsWorkDir: c.get<string>(settingIds.hostsWorkDir, '~'),
    tiers: c.get<TierRule[]>(settingIds.tiers, []),
    logsMaxLinesPerStream: c.get<number>(settingIds.logsMaxLinesPerStream, 1_000_000),
    phasesPlanPath: c.get<string>(settingIds.phasesPlanPath, '.airlock/phases.json'),
    phasesRefreshIntervalSec: c.get<number>(settingIds.phasesRefreshIntervalSec, 30),
    phasesWorkerName: c.get<string>(settingIds.phasesWorkerName, ''),
    podsEndpoint: process.env.AIRLOCK_RUNPOD_ENDPOINT || c.get<string>(settingIds.podsEndpoint, ''),
    podsApi: (process.env.AIRLOCK_RUNPOD_API || c.get<string>(settingIds.podsApi, 'rest')) === 'graphql' ? 'graphql' : 'rest',
    podsIdleStopMinutes: c.get<number>(settingIds.podsIdleStopMinutes, 60),
    podsMaxHours: c.get<number>(settingIds.podsMaxHours, 0),
    podsBudgetPerDay: c.get<number>(settingIds.podsBudgetPerDay, 0),
    podsProjectBudgets: Object.fromEntries(
      Object.entries(c.get<Record<string, unknown>>(settingIds.podsProjectBudgets, {}) ?? {}).filter(
        (e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] > 0,
      ),
    ),
    podsRefreshIntervalSec: c.get<number>(settingIds.podsRefreshIntervalSec, 30),
    podsIdleWarnMinutes: c.get<number>(settingIds.podsIdleWarnMinutes, 30),
    podsAutoStopIdleMinutes: c.get<number>(settingIds.podsAutoStopIdleMinutes, 0),
    podsDefaultImage: c.get<string>(settingIds.podsDefaultImage, 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04'),
    podsReadyTimeoutSec: c.get<number>(settingIds.podsReadyTimeoutSec, 600),
    podsSshIdentityFile: process.env.AIRLOCK_POD_SSH_IDENTITY || c.get<string>(settingIds.podsSshIdentityFile, ''),
    sweepsLocalRoot: c.get<string>(settingIds.sweepsLocalRoot, 'collected_runs'),
    colabGpu: c.get<GpuChoice>(settingIds.colabGpu, 'T4'),
    colabDriveFolder: c.get<string>(settingIds.colabDriveFolder, 'Airlock/runs'),
    colabDriveRootId: c.get<string>(settingIds.colabDriveRootId, ''),
    colabMountRoot: c.get<string>(settingIds.colabMountRoot, '/content/drive/MyDrive'),
    colabTimeoutMinutes: c.get<number>(settingIds.colabTimeoutMinutes, 120),
    colabPollSec: c.get<number>(settingIds.colabPollSec, 5),
    colabTransport: c.get<'auto' | 'browser' | 'colab-cli'>(settingIds.colabTransport, 'auto'),
    // AIRLOCK_CHROME is the CLI's override too.
    colabBrowserPath: c.get<string>(settingIds.colabBrowserPath, '') || process.env.AIRLOCK_CHROME || '',
    colabShowBrowser: c.get<boolean>(settingIds.colabShowBrowser, false),
    colabResultsDir: c.get<string>(settingIds.colabResultsDir, 'colab_runs'),
  };
}

/** Calls `onChange` with fresh settings whenever an `airlock.*` setting changes. */
export function onSettingsChanged(onChange: (s: AirlockSettings) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('airlock')) onChange(readSettings());
  });
}
