import type { BuildOptions } from 'esbuild';
export const repoRoot: string;
export const nativeOptional: string[];
export const runtimeModules: string[];
export function nodeOptions(production?: boolean): BuildOptions;
export function cliOptions(outfile: string, version: string, production?: boolean): BuildOptions;
export function colabOptions(outdir: string, production?: boolean): BuildOptions;
export function copyPlaywright(outdir: string): void;
export function writeColabPackage(outdir: string, version: string): void;
