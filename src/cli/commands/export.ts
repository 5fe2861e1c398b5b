// `airlock export [PATHS…]`: the committed content of PATHS (default: bundle.paths of
// .airlock/airlock.json) as a zip with airlock-manifest.json, written to a file, a host's work
// directory (optionally unpacked there) and/or a Drive folder. See docs/airlock.md.
import { writeFileAtomic } from '../../core/fs/writeFileAtomic';
import { posix } from 'node:path';
import type { CliCommand } from '../types';
import { inputDirFlag, outputFileFlag } from '../flags';
import { UsageError } from '../errors';
import { parseOptions } from '../parseOptions';
import { buildBundle } from '../../core/bundle/buildBundle';
import { openBundle } from '../../core/bundle/readBundle';
import { unpackOnHost, uploadBundle } from '../../core/bundle/deliver';
import { loadAirlockConfig } from '../../core/bundle/airlockConfig';
import { recordFor, writeHostBundleRecord } from '../../core/bundle/records';
import { loadColab } from '../../core/colab/loadColab';
import { cliDriveCredentials } from './colabCredentials';
import { hostFlags, openHost, toolVersion } from './exportHosts';

const usage = `Usage:
  airlock export [PATHS...] -o bundle.zip
  airlock export [PATHS...] --host NAME [--unpack DIR]
  airlock export [PATHS...] --drive FOLDER
Bundles only committed content (git), never untracked, ignored or .secrets/ files.
Options:
  -o, --output FILE          write the bundle here
  --host NAME                send it to a host from the Hosts list (local, ssh aliases, .airlock/hosts.json)
  --unpack DIR               unpack on the host into DIR (records .airlock-bundle.json for verify)
  --drive FOLDER             upload to this Drive folder path (resumable for large bundles)
  --allow-dirty              bundle the commit anyway; the uncommitted diff goes inside as airlock-uncommitted.patch
  --workspace DIR            the repository folder with .airlock/ (default: current directory)
  --ssh-config PATH, --accept-new-host-key   as for "airlock hosts"
  --service-account-file F, --drive-root-url URL, --token-url URL   Drive credentials and endpoints (as for "airlock colab")`;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'bundle committed code with a manifest; to a file, a host (unpacked) or Drive',
  async run(args, ctx) {
    const { values, positionals } = parseOptions(
      {
        args,
        allowPositionals: true,
        options: {
          output: { type: 'string', short: 'o' },
          host: { type: 'string' },
          unpack: { type: 'string' },
          drive: { type: 'string' },
          'allow-dirty': { type: 'boolean' },
          'service-account-file': { type: 'string' },
          'drive-root-url': { type: 'string' },
          'token-url': { type: 'string' },
          ...hostFlags,
          help: { type: 'boolean', short: 'h' },
        },
      },
      usage,
    );
    if (values.help) return (ctx.stdout.write(usage + '\n'), 0);
    const workspace = values.workspace === undefined ? process.cwd() : inputDirFlag('--workspace', values.workspace);
    if (!values.output && !values.host && !values.drive) throw new UsageError(`say where the bundle goes: -o FILE, --host NAME or --drive FOLDER\n${usage}`);
    if (values.unpack !== undefined && !values.host) throw new UsageError('--unpack needs --host (use --host local for this machine)');
    if (values.unpack !== undefined && !values.unpack.trim()) throw new UsageError('--unpack needs a directory');
    if (values.output) outputFileFlag('--output', values.output);
    if (values.drive !== undefined && !values.drive.trim()) throw new UsageError('--drive needs a folder path such as Airlock/bundles');
    const config = await loadAirlockConfig(workspace);
    for (const w of config.warnings) ctx.stderr.write(`airlock export: warning: ${w.message}\n`);
    const paths = positionals.length ? positionals : config.bundlePaths;

    const built = await buildBundle({ cwd: workspace, paths, allowDirty: !!values['allow-dirty'], toolVersion: toolVersion(), signal: ctx.signal });
    const m = built.manifest;
    const bytes = built.zip.length;
    ctx.stdout.write(
      `bundle ${built.sha256.slice(0, 12)}: ${m.files.length} file(s), ${bytes} bytes, code @ ${m.commit.slice(0, 12)}${m.branch ? ` (${m.branch})` : ''}\n`,
    );
    if (m.dirty)
      ctx.stderr.write(
        `airlock export: warning: the tree is dirty (${m.dirty.files.length + m.dirty.untracked.length} file(s)); the bundle holds the commit, the diff is ${m.dirty.patch ?? 'empty (untracked files only)'}\n`,
      );

    if (values.output) {
      await writeFileAtomic(values.output, built.zip);
      ctx.stdout.write(`wrote ${values.output}\n`);
    }
    if (values.host) {
      const opened = await openHost(workspace, values.host, { sshConfig: values['ssh-config'], acceptNew: !!values['accept-new-host-key'] }, ctx, 'export');
      try {
        if (values.unpack) {
          const bundle = openBundle(built.zip, 'the bundle');
          const rec = await unpackOnHost(opened.runner, bundle, values.unpack, { signal: ctx.signal });
          await writeHostBundleRecord(workspace, recordFor(values.host, values.unpack, rec.bundleSha256, m, new Date(rec.unpackedAt)));
          ctx.stdout.write(
            `unpacked on ${values.host}:${values.unpack} (${m.files.length} file(s)); check it with: airlock verify ${posix.join(values.unpack, '.airlock-bundle.json')} --host ${values.host} --dir ${values.unpack}\n`,
          );
        } else {
          const remote = posix.join(opened.runner.host.workDir ?? '~', `airlock-bundle-${built.sha256.slice(0, 12)}.zip`);
          await uploadBundle(opened.runner, built.zip, remote, ctx.signal);
          ctx.stdout.write(`uploaded to ${values.host}:${remote}\n`);
        }
      } finally {
        opened.dispose();
      }
    }
    if (values.drive) {
      const credentials = await cliDriveCredentials(values['service-account-file']);
      const { DriveApi } = await loadColab();
      const drive = await DriveApi.open({ credentials, rootUrl: values['drive-root-url'], tokenUrl: values['token-url'], signal: ctx.signal });
      const folder = (await drive.folderByPath(values.drive.replace(/^\/+|\/+$/g, ''), { create: true }))!;
      const name = `airlock-bundle-${built.sha256.slice(0, 12)}.zip`;
      const file = await drive.upload({ parentId: folder.id, name, mimeType: 'application/zip', body: Buffer.from(built.zip) });
      ctx.stdout.write(`uploaded to Drive ${values.drive}/${name} (id ${file.id})\n`);
    }
    return 0;
  },
};
