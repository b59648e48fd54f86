// Splits any number of sub-calls into ordered `batch` requests of at most 50 (the Bitrix24 REST docs, `batch`) and
// gives each command a wire key the server keeps intact.

import { batchCommandString } from './encode.ts';
import { RestError } from './errors.ts';
import type { BatchCommand } from './types.ts';

/** Bitrix24 runs at most 50 sub-calls per `batch` request. */
export const BATCH_LIMIT = 50;

/** HTTP requests that `commandCount` sub-calls take (at least one: an empty batch is still sent). */
export function batchRequests(commandCount: number): number {
  return Math.max(1, Math.ceil(commandCount / BATCH_LIMIT));
}

export interface BatchChunk {
  /** Wire `cmd`: wire key → `method?query`, in the caller's order. */
  cmd: Record<string, string>;
  /** [wire key, caller's key], in order. */
  keys: Array<[wire: string, key: string]>;
  /** Wire key → method name (to attribute `result_time` to a method). */
  methods: Record<string, string>;
}

const METHOD_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;

/**
 * Keys the server and JSON keep as they are: `[A-Za-z0-9_.-]`, at most 100 chars, and not a
 * pure number (JS objects move integer keys first and PHP turns `0..n-1` maps into lists).
 */
export function isSafeBatchKey(key: string): boolean {
  return /^[A-Za-z0-9_.-]{1,100}$/.test(key) && !/^\d+$/.test(key);
}

/** Throws a `request` RestError for a method name that is not `word(.word)*`, or for a nested `batch`. */
export function assertMethodName(method: string): void {
  if (!METHOD_PATTERN.test(method) || method.length > 200) {
    throw new RestError('request', 'INVALID_METHOD', `Not a REST method name: ${JSON.stringify(method.slice(0, 60))}`, 0);
  }
}

export function planBatch(commands: Record<string, BatchCommand>, chunkSize = BATCH_LIMIT): BatchChunk[] {
  const size = Math.max(1, Math.min(BATCH_LIMIT, Math.floor(chunkSize)));
  const entries = Object.entries(commands);
  const taken = new Set(entries.map(([key]) => key).filter(isSafeBatchKey));
  const chunks: BatchChunk[] = [];
  entries.forEach(([key, command], index) => {
    assertMethodName(command.method);
    if (command.method.toLowerCase() === 'batch') {
      throw new RestError('request', 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'A batch cannot contain another batch', 0);
    }
    let wire = key;
    if (!isSafeBatchKey(key)) {
      wire = `k${index}`;
      for (let n = 1; taken.has(wire); n++) wire = `k${index}_${n}`;
      taken.add(wire);
    }
    if (index % size === 0) chunks.push({ cmd: {}, keys: [], methods: {} });
    const chunk = chunks[chunks.length - 1]!;
    chunk.cmd[wire] = batchCommandString(command);
    chunk.keys.push([wire, key]);
    chunk.methods[wire] = command.method;
  });
  return chunks;
}
