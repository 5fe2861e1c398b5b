// `airlock verify MANIFEST|BUNDLE --dir DIR [--host H]`: exit 0 when DIR holds exactly the
// bundle's files, 1 listing every changed, missing and extra one. Updates the host's bundle record.
import { readFile } from 'node:fs/promises';
import type { CliCommand } from '../types';
import { inputDirFlag, inputFileFlag } from '../flags';
import { InputError, UsageError } from '../errors';
import { parseOptions } from '../parseOptions';
import { BundleFormatError, readManifestOrBundle } from '../../core/bundle/readBundle';
import { renderDrift, verifyOnHost } from '../../core/bundle/verify';
import { noteVerify } from '../../core/bundle/records';
import { remotePathExpr } from '../../core/shell/quote';
import { LocalRunner } from '../../core/hosts/localRunner';
import { hostFlags, openHost } from './exportHosts';

const usage = `Usage:
  airlock verify MANIFEST|BUNDLE --dir DIR [--host NAME] [--json]
MANIFEST is an airlock-manifest.json, a bundle .zip, or the .airlock-bundle.json export left in DIR.
Exit 0 when DIR matches, 1 when it drifted (every changed, missing and extra file is listed).
Options:
  --dir DIR        the directory to check (on the host with --host)
  --host NAME      a host from the Hosts list (default: this machine)
  --json           the report as JSON
  --workspace DIR, --ssh-config PATH, --accept-new-host-key   as for "airlock hosts"`;

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'compare a directory (here or on a host) with a bundle manifest: clean or drifted',
  async run(args, ctx) {
    const { values, positionals } = parseOptions(
      {
        args,
        allowPositionals: true,
        options: { dir: { type: 'string' }, host: { type: 'string' }, json: { type: 'boolean' }, ...hostFlags, help: { type: 'boolean', short: 'h' } },
      },
      usage,
    );
    if (values.help) return (ctx.stdout.write(usage + '\n'), 0);
    if (positionals.length !== 1) throw new UsageError(`name one manifest or bundle\n${usage}`);
    if (!values.dir?.trim()) throw new UsageError(`--dir is required\n${usage}`);
    const workspace = values.workspace === undefined ? process.cwd() : inputDirFlag('--workspace', values.workspace);
    const file = positionals[0]!;
    // A manifest left on a remote host (DIR/.airlock-bundle.json) is read there.
    let data: Buffer;
    const opened = values.host
      ? await openHost(workspace, values.host, { sshConfig: values['ssh-config'], acceptNew: !!values['accept-new-host-key'] }, ctx, 'verify')
      : { runner: new LocalRunner(), dispose: () => undefined };
    try {
      if (values.host && values.host !== 'local' && file.endsWith('.airlock-bundle.json')) {
        const r = await opened.runner.exec(`cat -- ${remotePathExpr(file)}`, { signal: ctx.signal });
        if (r.code !== 0) throw new InputError(`${values.host}:${file}: cannot be read (${r.stderr.trim() || `exit ${r.code}`})`);
        data = Buffer.from(r.stdout);
      } else {
        inputFileFlag('MANIFEST', file);
        data = await readFile(file);
      }
      let manifest;
      try {
        manifest = readManifestOrBundle(data, file).manifest;
      } catch (err) {
        // A damaged bundle or a malformed manifest is bad input (exit 2), not drift.
        throw new InputError(err instanceof BundleFormatError ? err.message : (err as Error).message);
      }
      if (!values.host) inputDirFlag('--dir', values.dir);
      const report = await verifyOnHost(opened.runner, values.dir, manifest, ctx.signal);
      await noteVerify(workspace, values.host ?? 'local', values.dir, report, new Date()).catch(() => undefined);
      const where = `${values.host ?? 'local'}:${values.dir}`;
      if (values.json) ctx.stdout.write(JSON.stringify({ where, commit: manifest.commit, ...report }, null, 2) + '\n');
      else ctx.stdout.write(renderDrift(report, where, manifest));
      return report.clean ? 0 : 1;
    } finally {
      opened.dispose();
    }
  },
};
