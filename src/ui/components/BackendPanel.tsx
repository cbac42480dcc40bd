/** Which tfjs backend trains (WebGL or WebAssembly), what the machine offers, and the switch between them. */
import type { BackendChoice, BackendReport } from '../../app/protocol.ts';

const NAMES: Record<BackendReport['backend'], string> = {
  webgl: 'WebGL (GPU)',
  wasm: 'WebAssembly (CPU)',
  cpu: 'plain JavaScript (CPU)',
};

/** Which backend trains, on what GPU, why; and a switch between WebGL and WebAssembly. */
export function BackendPanel(props: {
  report: BackendReport | null;
  requested: BackendChoice | null;
  disabled: boolean;
  onChoose: (backend: BackendChoice) => void;
}) {
  const { report } = props;
  const current = props.requested ?? (report && report.backend !== 'cpu' ? report.backend : null);
  return (
    <section className="panel" aria-labelledby="backend-heading">
      <h2 id="backend-heading">Backend</h2>
      {report ? (
        <>
          <p>
            Training on <strong>{NAMES[report.backend]}</strong>
            {report.backend === 'wasm' && ` with ${plural(report.wasmThreads, 'thread')}`}
            {report.backend === 'wasm' && report.kernelThreads !== report.wasmThreads && ` (convolutions on ${report.kernelThreads})`}.
          </p>
          <p className="muted small">
            Graphics:{' '}
            {report.renderer === null
              ? 'no WebGL'
              : report.softwareRenderer
                ? 'a software renderer (no graphics card in use)'
                : 'a graphics card (WebGL)'}
          </p>
          {/* The browser's raw renderer string helps someone reporting a problem, not a visitor reading on. */}
          {report.renderer !== null && (
            <details className="renderer small muted">
              <summary>What the browser reports</summary>
              <code>{report.renderer}</code>
            </details>
          )}
          {/* The worker's note already says why when it chose for the person: no second wording. */}
          {!report.note && !report.webglAvailable && (
            <p className="note">WebGL is not available in this browser, so training runs on WebAssembly.</p>
          )}
          {!report.note && report.webglAvailable && report.softwareRenderer && (
            <p className="note">This GPU is a software renderer, where WebGL is slower than WebAssembly: WebAssembly is the default.</p>
          )}
          {report.note && <p className="note">{report.note}</p>}
        </>
      ) : (
        <p className="muted">Finding out what this machine can do…</p>
      )}
      <fieldset className="segmented" disabled={props.disabled || !report}>
        <legend className="visually-hidden">Backend to train on</legend>
        {(['webgl', 'wasm'] as const).map((b) => (
          <label key={b} className={current === b ? 'selected' : ''}>
            <input
              type="radio"
              name="backend"
              value={b}
              checked={current === b}
              disabled={b === 'webgl' && report?.webglAvailable === false}
              onChange={() => props.onChoose(b)}
            />
            {b === 'webgl' ? 'WebGL' : 'WASM'}
          </label>
        ))}
      </fieldset>
      {props.requested && <p className="muted small">Switching to {NAMES[props.requested]}…</p>}
    </section>
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
