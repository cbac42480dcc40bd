/**
 * What each Ctrl-C means to `npm run train`. The first asks training to stop after its batch (the
 * run is then evaluated and saved); a later one quits at once. A terminal's Ctrl-C reaches every
 * process of the foreground group, and a wrapper that relays it to its child (npm when its shell
 * execs the command, tsx) delivers it a second time within milliseconds: a SIGINT arriving within
 * `windowMs` of the first is that same Ctrl-C, not the second one that quits.
 */

/** Copies of one Ctrl-C arrive within milliseconds; a person's second press comes later than this. */
export const DUPLICATE_WINDOW_MS = 1000;

export type InterruptAction = 'stop' | 'duplicate' | 'quit';

export interface InterruptOptions {
  /** The first Ctrl-C: stop after the current batch. */
  onStop: () => void;
  /** A Ctrl-C after the window: quit now. */
  onQuit: () => void;
  windowMs?: number;
  /** Milliseconds, monotonic (default: performance.now). */
  now?: () => number;
}

export class Interrupts {
  private first: number | null = null;
  constructor(private readonly options: InterruptOptions) {}

  /** True once a Ctrl-C asked the run to stop. */
  get requested(): boolean {
    return this.first !== null;
  }

  /** Call on every SIGINT; returns what it did. */
  handle(): InterruptAction {
    const t = (this.options.now ?? (() => performance.now()))();
    if (this.first === null) {
      this.first = t;
      this.options.onStop();
      return 'stop';
    }
    if (t - this.first < (this.options.windowMs ?? DUPLICATE_WINDOW_MS)) return 'duplicate';
    this.options.onQuit();
    return 'quit';
  }
}

/**
 * Ends the process the way an interrupted command ends: killed by SIGINT (status 130 in a shell),
 * so a shell loop or npm around it stops too instead of carrying on as after a success. Nothing
 * should run after it: the signal's default action ends the process within the kill call or
 * moments later; exit code 130 is the fallback should it not.
 */
export function exitBySigint(): void {
  process.removeAllListeners('SIGINT');
  process.kill(process.pid, 'SIGINT');
  setTimeout(() => process.exit(130), 500);
}
