import * as vscode from 'vscode';
import { commandIds } from '../ids';
import type { CommandHandlers } from './commandRegistry';
import type { HostsFeature } from './hosts/hostsFeature';

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  hosts: HostsFeature;
}

/** The one table of command handlers; each feature contributes its own small named functions. */
export function buildCommandHandlers(services: Services): CommandHandlers {
  const hosts = services.hosts.commands;
  const notYet = (what: string) => () => vscode.window.showInformationMessage(`Airlock: ${what} is not available yet.`);
  return {
    [commandIds.hostsAdd]: () => hosts.add(),
    [commandIds.hostsRefresh]: (arg) => hosts.refresh(arg),
    [commandIds.hostsOpenConfig]: () => hosts.openConfig(),
    [commandIds.hostsOpenTerminal]: (arg) => hosts.openTerminal(arg),
    [commandIds.hostsRunCommand]: (arg, command) => hosts.runCommand(arg, command),
    [commandIds.hostsTailFile]: (arg, path) => hosts.tailFile(arg, path),
    [commandIds.hostsCopySshCommand]: (arg) => hosts.copySshCommand(arg),
    [commandIds.hostsWriteSshConfig]: (arg) => hosts.writeSshConfig(arg),
    [commandIds.logsShow]: notYet('Live Logs'),
    [commandIds.jobsShow]: notYet('Jobs'),
    [commandIds.jobsCancel]: notYet('Cancel Job'),
  };
}
