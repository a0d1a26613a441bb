/** The machine a comparison ran on: timing figures mean little without it. */
import { cpus, platform, release, arch, totalmem, availableParallelism, loadavg } from 'node:os';
import { bytesGiB } from './format.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryBytes: number;
  node: string;
  os: string;
  /** 1-minute load average when the comparison started: a busy machine makes wide intervals. */
  loadAverage: number;
}

export function thisMachine(): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown',
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
  };
}

export function machineLine(m: Machine): string {
  const load = m.loadAverage !== undefined ? `, load average ${m.loadAverage} at start` : '';
  return `${m.cpu}, ${m.cores} cores, ${bytesGiB(m.memoryBytes)}, node ${m.node}, ${m.os}${load}`;
}
