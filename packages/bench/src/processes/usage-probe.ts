/**
 * Preloaded (`node --import`) into the bridge and the baseline, so the bench reads each one's own
 * `process.cpuUsage()` and RSS over IPC without touching their code. Loading it is its whole
 * purpose, hence the side effect at import (the style rule's exception for entry points).
 */
import { serveIpc } from '../ipc.js';

export interface ProcessUsage {
  /** process.cpuUsage(): user + system, microseconds since start. */
  cpuUs: number;
  rssBytes: number;
  /** process.resourceUsage().maxRSS, in bytes: the peak so far. */
  maxRssBytes: number;
}

if (process.send) {
  serveIpc({
    usage: (): ProcessUsage => {
      const cpu = process.cpuUsage();
      return { cpuUs: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss(), maxRssBytes: process.resourceUsage().maxRSS * 1024 };
    },
  });
}
