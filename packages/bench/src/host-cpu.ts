import { readFileSync } from 'node:fs';

/**
 * Busy CPU time of the whole machine so far, in ms (Linux /proc/stat; undefined elsewhere). The
 * bench shares its cores with whatever else runs, so each load row reports how much of the
 * machine processes outside the bench used meanwhile: a figure taken under heavy outside load
 * says so.
 */
export function hostBusyMs(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | undefined {
  try {
    const line = read('/proc/stat').split('\n').find((l) => l.startsWith('cpu '));
    if (!line) return undefined;
    // user nice system idle iowait irq softirq steal …, in USER_HZ ticks (100 per second on Linux).
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 10;
  } catch {
    return undefined;
  }
}
