import type * as vscode from 'vscode';
import { commandIds } from '../ids';
import type { CommandHandlers } from './commandRegistry';
import type { HostsFeature } from './hosts/hostsFeature';
import type { LogsFeature } from './logs/logsFeature';

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  hosts: HostsFeature;
  logs: LogsFeature;
}

/** The one table of command handlers; each feature contributes its own small named functions. */
export function buildCommandHandlers(services: Services): CommandHandlers {
  const hosts = services.hosts.commands;
  return {
    [commandIds.hostsAdd]: () => hosts.add(),
    [commandIds.hostsRefresh]: (arg) => hosts.refresh(arg),
    [commandIds.hostsOpenConfig]: () => hosts.openConfig(),
    [commandIds.hostsOpenTerminal]: (arg) => hosts.openTerminal(arg),
    [commandIds.hostsRunCommand]: (arg, command) => hosts.runCommand(arg, command),
    [commandIds.hostsTailFile]: (arg, path) => hosts.tailFile(arg, path),
    [commandIds.hostsCopySshCommand]: (arg) => hosts.copySshCommand(arg),
    [commandIds.hostsWriteSshConfig]: (arg) => hosts.writeSshConfig(arg),
    [commandIds.logsShow]: (streamId) => services.logs.showLogs(typeof streamId === 'string' ? streamId : undefined),
    [commandIds.jobsShow]: () => services.logs.showJobs(),
    [commandIds.jobsCancel]: () => services.logs.cancelJob(),
  };
}
