import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startBusyCores } from '../scripts/lib/busy-cores.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** CPU ticks (user + system) a process has used, from /proc where there is one. */
const cpuTicks = (pid: number): number | null => {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};

describe('npm run bench -- --busy N', () => {
  it('keeps N processes computing until stopped, then ends them', async () => {
    const load = startBusyCores(2);
    expect(load.pids).toHaveLength(2);
    for (const pid of load.pids) expect(alive(pid)).toBe(true);
    const before = load.pids.map(cpuTicks);
    // Poll: each loop has used CPU time since it started.
    await expect.poll(() => load.pids.map(cpuTicks).every((t, i) => t == null || t > (before[i] ?? 0)), { timeout: 20_000 }).toBe(true);
    await load.stop();
    for (const pid of load.pids) expect(alive(pid)).toBe(false);
  });

  it('rejects a --busy that is not a whole number of cores', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--busy', 'two'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--busy: must be a whole number of cores');
  });
});
