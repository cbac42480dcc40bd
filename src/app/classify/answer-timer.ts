/**
 * Times one picture from its request to the answering model's answer (e.g. 'upload: classify', for
 * DevTools' performance panel and the browser tests). A newer request replaces the one timed.
 */
export class AnswerTimer {
  private timed: { image: Uint8Array; name: string; start: number } | null = null;

  /** @param clock the page's performance.now and performance.measure (fakes in tests) */
  constructor(private readonly clock: { now(): number; measure(name: string, start: number, end: number): void }) {}

  /** A new request: timed under `name` when given, else nothing is timed. */
  request(image: Uint8Array | null, name: string | undefined): void {
    this.timed = image && name ? { image, name, start: this.clock.now() } : null;
  }

  /** The answering model answered `image`: the measure ends if it is the picture timed. */
  answered(image: Uint8Array | undefined): void {
    if (this.timed && image === this.timed.image) {
      this.clock.measure(this.timed.name, this.timed.start, this.clock.now());
      this.timed = null;
    }
  }
}
