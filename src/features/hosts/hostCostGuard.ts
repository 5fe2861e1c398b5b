// The workspace's own VMs bill too: the pods' idle rule for hosts with a price or a stop command.
// A warning with Stop Host once a host has been idle for its idleWarnMinutes; the priced hosts are
// probed in the background while the Hosts view is hidden (the view probes them while shown); and
// after a stop, when the host's resolved address changes, an offer to update ~/.ssh/config.
import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import { formatDollars } from '../../core/pods/cost';
import { isWatchedHost } from '../../core/hosts/hostIdle';
import type { SshConfigHostFields } from '../../core/ssh/sshConfig';
import type { HostSpec } from '../../core/hosts/types';
import type { HostsModel } from './hostsModel';

type Resolve = (spec: HostSpec) => Promise<SshConfigHostFields>;

export class HostCostGuard implements vscode.Disposable {
  private readonly warned = new Set<string>();
  /** Hosts stopped from here, with the address they had then. */
  private readonly stopped = new Map<string, SshConfigHostFields>();
  private readonly subs: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly model: HostsModel,
    private readonly resolve: Resolve,
    private readonly viewVisible: () => boolean,
    private readonly intervalSec: () => number,
  ) {
    this.subs = [model.onDidChange((name) => (name ? this.checkIdle(name) : void this.checkAddresses()))];
    this.schedule();
  }

  /** Background probes of the priced hosts while the view is hidden (at most once a minute). */
  schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(
      () => {
        if (this.viewVisible() || !this.model.isLoaded) return;
        const names = this.model.hosts.filter((h) => isWatchedHost(h.spec)).map((h) => h.spec.name);
        if (names.length) void this.model.refresh(names);
      },
      Math.max(60, this.intervalSec()) * 1000,
    );
  }

  private checkIdle(name: string): void {
    const spec = this.model.host(name)?.spec;
    const st = this.model.idle(name);
    if (!spec || !st?.warn) {
      if (!st?.idle) this.warned.delete(name);
      return;
    }
    if (this.warned.has(name)) return;
    this.warned.add(name);
    const price = spec.pricePerHour !== undefined ? ` — it costs ${formatDollars(spec.pricePerHour)}/hr` : '';
    const message =
      `Airlock: host "${name}" has been idle for ${Math.round(st.idleMinutes ?? 0)} min (${st.why})${price}.` +
      (spec.stopCommand ? '' : ' Add a "stopCommand" to its entry in .airlock/hosts.json to stop it from here.');
    this.model.costNotices.push({ host: name, kind: 'idle', message, at: Date.now() });
    const actions = spec.stopCommand ? ['Stop Host', 'Keep Running'] : ['Keep Running'];
    void vscode.window.showWarningMessage(message, ...actions).then((a) => {
      if (a === 'Stop Host') return vscode.commands.executeCommand(commandIds.hostsStop, name);
      if (a === 'Keep Running') {
        // Count again from now: warn after another idleWarnMinutes.
        this.model.resetIdle(name);
        this.warned.delete(name);
      }
      return undefined;
    });
  }

  /** After Stop Host: remember the address, and check it now (the stop command may have rewritten hosts.json or the ssh config). */
  async stoppedHost(spec: HostSpec, before: SshConfigHostFields | undefined): Promise<void> {
    this.warned.delete(spec.name);
    if (!before) return;
    this.stopped.set(spec.name, before);
    await this.model.reload();
  }

  private async checkAddresses(): Promise<void> {
    for (const [name, before] of [...this.stopped]) {
      const spec = this.model.host(name)?.spec;
      if (!spec) continue;
      const now = await this.resolve(spec).catch(() => undefined);
      if (!now || (now.HostName === before.HostName && now.Port === before.Port && now.User === before.User)) continue;
      this.stopped.delete(name);
      const addr = (f: SshConfigHostFields) => `${f.User ? `${f.User}@` : ''}${f.HostName ?? name}${f.Port ? `:${f.Port}` : ''}`;
      const message = `Airlock: the address of "${name}" changed since it was stopped (${addr(before)} → ${addr(now)}). Update its ~/.ssh/config entry?`;
      this.model.costNotices.push({ host: name, kind: 'address', message, at: Date.now() });
      void vscode.window
        .showInformationMessage(message, 'Write SSH Config Entry')
        .then((a) => (a ? vscode.commands.executeCommand(commandIds.hostsWriteSshConfig, name) : undefined));
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.subs) s.dispose();
  }
}
