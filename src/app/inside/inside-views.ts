/**
 * Keeps "Inside the model" up to date for the models on show (the answering one, or both members
 * side by side), latest request first: at most one inspection runs, and a newer request for a
 * model replaces the one waiting, so a fast drawing never queues up work. Each view keeps its last
 * result until the next is in (the grids do not flicker), and says why when there is none.
 *
 * No React, no DOM: the inspection itself is injected (the classification service's, which runs
 * it in the classifier worker).
 */
import type { InspectRequest } from '../../core/inside/inspector.ts';
import type { Inspection } from '../classify/classification-service.ts';

export interface InsideTarget {
  /** The classification service's key of the model. */
  key: string;
  image: Uint8Array;
  request: InspectRequest;
  /**
   * What the view must follow besides the picture and request (the model's answer object: a new
   * one comes when the model changes); a change asks again.
   */
  version: unknown;
}

export interface InsideViewState {
  target: InsideTarget;
  /** The latest result for this key (possibly for an earlier target while `busy`), and the picture it is about. */
  result: Inspection | null;
  resultImage: Uint8Array | null;
  error: string | null;
  /** True until the result is for `target`. */
  busy: boolean;
}

export type InsideState = Readonly<Record<string, InsideViewState>>;

type Inspect = (key: string, image: Uint8Array, request: InspectRequest) => Promise<Inspection>;

const sameRequest = (a: InspectRequest, b: InspectRequest) =>
  (a.explainClass ?? null) === (b.explainClass ?? null) && (a.camLayer ?? null) === (b.camLayer ?? null);
const sameTarget = (a: InsideTarget, b: InsideTarget) =>
  a.key === b.key && a.image === b.image && a.version === b.version && sameRequest(a.request, b.request);

export class InsideViews {
  private readonly inspect: Inspect;
  private readonly defer: (run: () => void) => void;
  private wanted: InsideTarget[] = [];
  /** The target each key's result is for. */
  private readonly done = new Map<string, InsideTarget>();
  private views: Record<string, InsideViewState> = {};
  private running = false;
  private disposed = false;
  private readonly listeners = new Set<() => void>();

  constructor(inspect: Inspect, defer: (run: () => void) => void = (run) => setTimeout(run, 0)) {
    this.inspect = inspect;
    this.defer = defer;
  }

  getState = (): InsideState => this.views;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The views to show from now on, one per model key; keys left out are dropped. */
  show(targets: readonly InsideTarget[]): void {
    if (this.disposed) return;
    this.wanted = [...targets];
    const next: Record<string, InsideViewState> = {};
    for (const target of targets) {
      const old = this.views[target.key];
      const done = this.done.get(target.key);
      const current = done !== undefined && sameTarget(done, target);
      next[target.key] = {
        target,
        result: old?.result ?? null,
        resultImage: old?.resultImage ?? null,
        error: current ? (old?.error ?? null) : null,
        busy: !current,
      };
    }
    for (const key of [...this.done.keys()]) if (!(key in next)) this.done.delete(key);
    const changed =
      Object.keys(next).length !== Object.keys(this.views).length ||
      Object.entries(next).some(([k, v]) => !this.views[k] || !sameTarget(this.views[k].target, v.target) || this.views[k].busy !== v.busy);
    if (!changed) return;
    this.views = next;
    this.publish();
    this.kick();
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  private next(): InsideTarget | null {
    return this.wanted.find((t) => !this.done.has(t.key) || !sameTarget(this.done.get(t.key)!, t)) ?? null;
  }

  private kick(): void {
    if (this.running || this.disposed || !this.next()) return;
    this.running = true;
    this.defer(() => void this.run());
  }

  private async run(): Promise<void> {
    try {
      for (let target = this.next(); target && !this.disposed; target = this.next()) {
        let result: Inspection | null = null;
        let error: string | null = null;
        try {
          result = await this.inspect(target.key, target.image, target.request);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        this.done.set(target.key, target);
        const view = this.views[target.key];
        // Dropped meanwhile, or asked about something newer: the newer request runs next.
        if (this.disposed || !view) continue;
        const current = sameTarget(view.target, target);
        const kept = result ? { result, resultImage: target.image } : { result: view.result, resultImage: view.resultImage };
        this.views = { ...this.views, [target.key]: { target: view.target, ...kept, error, busy: !current } };
        this.publish();
      }
    } finally {
      this.running = false;
    }
  }

  private publish(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
