// The shape check every notebook goes through before anything reads its cells: a file with
// `"source": 5` or `"cells": [null]` is bad input (FILE:LINE: field problem, exit 2), not an
// internal TypeError deep inside rendering or execution.
import { findNodeAtLocation, getNodeValue, type Node } from 'jsonc-parser';
import { ConfigError, parseJsonc, pathString, type JsonPath } from '../config/jsoncDoc';

/** Throws a ConfigError naming the first problem; returns the parsed notebook otherwise. */
export function checkNotebook(text: string, file: string): Record<string, unknown> {
  const { root, lineAt, errors } = parseJsonc(text, file);
  if (errors.length) throw new ConfigError(file, errors[0]!.line, '', `is not a notebook (${errors[0]!.problem})`);
  if (!root || root.type !== 'object') throw new ConfigError(file, 1, '', 'is not a notebook: it must be a JSON object with a "cells" list');
  const bad = (path: JsonPath, problem: string): ConfigError => {
    let n: Node | undefined;
    for (let p = path; !n; p = p.slice(0, -1)) n = p.length ? findNodeAtLocation(root, p) : root;
    return new ConfigError(file, lineAt(n.offset), pathString(path), problem);
  };
  const cells = findNodeAtLocation(root, ['cells']);
  if (!cells) throw bad(['cells'], 'is missing: this is not a notebook');
  if (cells.type !== 'array') throw bad(['cells'], 'must be a list of cells');
  (cells.children ?? []).forEach((cell, i) => {
    if (cell.type !== 'object') throw bad(['cells', i], 'must be an object with "cell_type" and "source"');
    const type = findNodeAtLocation(cell, ['cell_type']);
    if (type?.type !== 'string') throw bad(['cells', i, 'cell_type'], type ? 'must be a string ("code", "markdown" or "raw")' : 'is missing');
    const source = findNodeAtLocation(cell, ['source']);
    if (!source) throw bad(['cells', i, 'source'], 'is missing');
    const okSource = source.type === 'string' || (source.type === 'array' && (source.children ?? []).every((c) => c.type === 'string'));
    if (!okSource) throw bad(['cells', i, 'source'], 'must be a string or a list of strings');
    const meta = findNodeAtLocation(cell, ['metadata']);
    if (meta && meta.type !== 'object') throw bad(['cells', i, 'metadata'], 'must be an object');
    const tags = meta && findNodeAtLocation(meta, ['tags']);
    if (tags && (tags.type !== 'array' || !(tags.children ?? []).every((t) => t.type === 'string')))
      throw bad(['cells', i, 'metadata', 'tags'], 'must be a list of strings');
    const outputs = findNodeAtLocation(cell, ['outputs']);
    if (outputs && outputs.type !== 'array') throw bad(['cells', i, 'outputs'], 'must be a list');
  });
  const metadata = findNodeAtLocation(root, ['metadata']);
  if (metadata && metadata.type !== 'object') throw bad(['metadata'], 'must be an object');
  return getNodeValue(root) as Record<string, unknown>;
}
