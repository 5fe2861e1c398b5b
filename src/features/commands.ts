import * as vscode from 'vscode';
import { commandIds } from '../ids';
import type { CommandHandlers } from './commandRegistry';

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
}

/** The one table of command handlers; each feature contributes its own small named functions. */
export function buildCommandHandlers(_services: Services): CommandHandlers {
  const notYet = (what: string) => () => vscode.window.showInformationMessage(`Airlock: ${what} is not available yet.`);
  return {
    [commandIds.hostsAdd]: notYet('Add Host'),
    [commandIds.hostsRefresh]: notYet('Refresh'),
    [commandIds.hostsOpenConfig]: notYet('Open Hosts Configuration'),
    [commandIds.hostsOpenTerminal]: notYet('Open Terminal'),
    [commandIds.hostsRunCommand]: notYet('Run Command'),
    [commandIds.hostsTailFile]: notYet('Tail Remote File'),
    [commandIds.hostsCopySshCommand]: notYet('Copy SSH Command'),
    [commandIds.hostsWriteSshConfig]: notYet('Write SSH Config'),
    [commandIds.logsShow]: notYet('Live Logs'),
    [commandIds.jobsShow]: notYet('Jobs'),
    [commandIds.jobsCancel]: notYet('Cancel Job'),
  };
}
