/**
 * This process's open-file limit and the files it has open. Every socket is a file: a front
 * node holding 50,000 players needs over 50,000 of them. Node raises its soft limit to the hard
 * one as it starts; the hard limit is the operator's (`ulimit -Hn`, systemd's `LimitNOFILE=`).
 * Linux only (`/proc`); elsewhere both reads return null.
 */
import { readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';

export interface OpenFilesLimit {
  soft: number;
  hard: number;
}

/** The soft and hard open-file limits of this process, or null where `/proc` does not tell. */
export function openFilesLimit(): OpenFilesLimit | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line?.slice('Max open files'.length).trim().split(/\s+/) ?? []).map((v) =>
      v === 'unlimited' ? Infinity : Number(v),
    );
    return soft !== undefined && hard !== undefined && !Number.isNaN(soft) && !Number.isNaN(hard)
      ? { soft, hard }
      : null;
  } catch {
    return null;
  }
}

/**
 * Files open in this process now. On Linux 6.2 and later the size `stat` gives for
 * `/proc/self/fd` is that count (one cheap call); before, it is 0 and the folder is listed.
 */
export async function openFilesNow(): Promise<number | null> {
  try {
    const size = statSync('/proc/self/fd').size;
    if (size > 0) return size;
    return (await readdir('/proc/self/fd')).length;
  } catch {
    return null;
  }
}
