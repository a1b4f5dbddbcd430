import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Memory and CPU of another process, read from /proc (Linux): measured from outside, so a busy
 * event loop in the measured process cannot hide a peak from its own sampler.
 */

const KIB = 1024;
/** Clock ticks per second of /proc/{pid}/stat (USER_HZ: 100 on every mainstream Linux build). */
const CLOCK_TICKS = 100;

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(match[1]) * KIB;
}

/** Resident set size in bytes. */
export function rssOf(pid: number): number {
  return statusField(pid, 'VmRSS');
}

/** User + system CPU time in seconds. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at "state", field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export interface RssWindow {
  /** RSS just before the window opened, in bytes. */
  readonly before: number;
  /** The highest RSS seen in the window: the kernel's high-water mark when it could be reset, else the 5 ms samples. */
  readonly peak: number;
  readonly samples: number;
  /** Whether the peak comes from VmHWM (exact) rather than sampling alone. */
  readonly exact: boolean;
}

/**
 * Watches a process's RSS from `start()` to `stop()`: samples VmRSS every `intervalMs`, and resets
 * the kernel's high-water mark (`echo 5 > /proc/{pid}/clear_refs`) so VmHWM at the end is the
 * exact peak of the window, whatever the sampling missed.
 */
export class RssWatch {
  private timer: NodeJS.Timeout | undefined;
  private before = 0;
  private peak = 0;
  private samples = 0;
  private hwmReset = false;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 5,
  ) {}

  start(): void {
    this.before = rssOf(this.pid);
    this.peak = this.before;
    this.samples = 1;
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.hwmReset = true;
    } catch {
      this.hwmReset = false;
    }
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): RssWindow {
    clearInterval(this.timer);
    this.sample();
    const hwm = this.hwmReset ? statusField(this.pid, 'VmHWM') : 0;
    return { before: this.before, peak: Math.max(this.peak, hwm), samples: this.samples, exact: this.hwmReset };
  }

  private sample(): void {
    this.peak = Math.max(this.peak, rssOf(this.pid));
    this.samples += 1;
  }
}
