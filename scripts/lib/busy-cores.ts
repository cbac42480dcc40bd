/**
 * Load for `npm run bench -- --busy N`: N processes that each keep one core busy with a plain CPU
 * loop, as a laptop's other programs do, while a round measures ours and PyTorch alike. Processes
 * rather than worker threads, so that the load competes with the benchmark as another program
 * would (its own scheduling entity, none of our process's memory or event loop).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Arithmetic that never ends; SIGTERM's default action ends the process. */
const SPIN = 'let x = 1; for (;;) x = (x * 1103515245 + 12345) | 0;';

export interface BusyCores {
  /** The loops' process ids. */
  pids: number[];
  /** Stops the loops (waits until every process has exited). */
  stop(): Promise<void>;
}

/** Starts `count` busy loops (none for 0); they run until stop() or until this process exits. */
export function startBusyCores(count: number): BusyCores {
  const children: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    children.push(spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' }));
  }
  const killAll = (): void => {
    for (const child of children) if (child.exitCode == null) child.kill('SIGTERM');
  };
  process.on('exit', killAll);
  return {
    pids: children.map((child) => child.pid!),
    async stop() {
      const exited = children.map((child) =>
        child.exitCode != null ? Promise.resolve() : new Promise<void>((done) => child.once('exit', () => done())),
      );
      killAll();
      await Promise.all(exited);
      process.off('exit', killAll);
    },
  };
}
