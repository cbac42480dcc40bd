import { useCallback, useEffect, useMemo, useState } from 'react';
import { preprocessImage } from '../../core/preprocess.ts';
import type { TrainedModelMessage } from '../../app/protocol.ts';
import { engineRunsInWorker } from '../../app/backend/worker-support.ts';
import { UploadError } from '../../app/classify/decode-upload.ts';
import { decodePicture } from '../../app/classify/decode-client.ts';
import { DrawingPad } from './DrawingPad.tsx';
import { InputPreview } from './InputPreview.tsx';
import { ModelControls } from './ModelControls.tsx';
import { PredictionBars } from './PredictionBars.tsx';
import { SideBySide } from './SideBySide.tsx';
import { UploadDropZone } from './UploadDropZone.tsx';
import { useClassifier } from './useClassifier.ts';
import { useModelPair, type ModelPair } from './useModelPair.ts';

interface Input {
  image: Uint8Array;
  /** Where it came from, for the preview's caption. */
  caption: string;
}

let inWorker: boolean | null = null;
const ownTfjs = () => (inWorker ??= engineRunsInWorker());

/**
 * Draw or upload a clothing item and see what a model says: the ready-trained one from the start,
 * the page's own once a run ends. Everything runs on this page; nothing is sent anywhere.
 */
export function ClassifyPanel(props: { trainedModel: TrainedModelMessage | null; comparePair: ModelPair; engineBackendReady: boolean }) {
  const own = useMemo(ownTfjs, []);
  const classifier = useClassifier(props.trainedModel, own, props.engineBackendReady);
  const [input, setInput] = useState<Input | null>(null);
  // Dense against CNN on the same picture: on by itself once a comparison has trained its pair.
  const [sideBySide, setSideBySide] = useState(false);
  useEffect(() => {
    if (props.comparePair) setSideBySide(true);
  }, [props.comparePair]);
  const pairAnswer = useModelPair(props.comparePair, input?.image ?? null, sideBySide, own, own || props.engineBackendReady);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const { classify } = classifier;

  const show = useCallback(
    (next: Input | null) => {
      setInput(next);
      classify(next?.image ?? null);
    },
    [classify],
  );

  const onDrawing = useCallback(
    (rgba: Uint8ClampedArray | null, width: number, height: number) => {
      if (!rgba) {
        show(null);
        return;
      }
      const r = preprocessImage(rgba, width, height, 4);
      show(r.empty ? null : { image: r.image, caption: 'From your drawing: trimmed, scaled to fit 28 × 28, centred, inverted.' });
    },
    [show],
  );

  const onFile = useCallback(
    async (file: File) => {
      setUploadError(null);
      setReading(true);
      try {
        const t0 = performance.now();
        const picture = await decodePicture(file);
        const t1 = performance.now();
        const r = preprocessImage(picture.pixels, picture.width, picture.height, 4);
        // For DevTools' performance panel (and the browser tests): where an upload's time goes.
        performance.measure('upload: decode', { start: t0, end: t1 });
        performance.measure('upload: preprocess', { start: t1, end: performance.now() });
        if (r.empty) throw new UploadError(`No clothing item found in ${file.name || 'the picture'}: it looks blank.`);
        const size = `${picture.originalWidth.toLocaleString('en')} × ${picture.originalHeight.toLocaleString('en')}`;
        const scaled = picture.width !== picture.originalWidth ? `, read at ${picture.width} × ${picture.height}` : '';
        show({
          image: r.image,
          caption: `From ${file.name || 'the pasted picture'} (${picture.format}, ${size}${scaled}): ${r.inverted ? 'light background, inverted, ' : ''}trimmed, scaled, centred.`,
        });
      } catch (error) {
        setUploadError(error instanceof UploadError ? error.message : `The picture could not be read: ${(error as Error).message}`);
      } finally {
        setReading(false);
      }
    },
    [show],
  );

  // Only the answer of the model the page says is answering (a switch shows nothing until it has answered).
  const p = classifier.prediction?.key === classifier.active ? classifier.prediction : null;
  return (
    <section className="panel classify-panel" aria-labelledby="classify-heading" id="classify">
      <h2 id="classify-heading">Draw or upload</h2>
      <p className="muted">Sketch a clothing item or give it a product photo, and see what the model says about all ten classes.</p>
      <ModelControls classifier={classifier} />
      <div className="classify-grid">
        <div className="classify-source">
          <DrawingPad onPicture={onDrawing} />
          <UploadDropZone onFile={(f) => void onFile(f)} busy={reading} />
          {uploadError && (
            <div role="alert" className="alert upload-error">
              <span>{uploadError}</span>
              <button type="button" className="link-button" onClick={() => setUploadError(null)}>
                Dismiss
              </button>
            </div>
          )}
        </div>
        <InputPreview image={input?.image ?? null} caption={input?.caption ?? 'What the model sees appears here: 28 × 28 pixels, bright on black.'} />
        <div className="classify-result">
          <PredictionBars prediction={input ? p : null} placeholder="Draw something or upload a picture to see the model's answer." />
          {input && p && (
            <p className="muted small answered-by" data-ms={p.ms.toFixed(1)} data-tensors={p.tensors}>
              Answered in {p.ms < 1 ? 'under 1' : Math.round(p.ms)} ms, on this page.
            </p>
          )}
        </div>
      </div>
      <label className="side-by-side-toggle">
        <input type="checkbox" checked={sideBySide} onChange={(e) => setSideBySide(e.target.checked)} /> Dense network and CNN side
        by side{' '}
        <span className="muted small">
          {props.comparePair ? '(the two models of your comparison)' : '(the ready-trained pair; a comparison replaces them)'}
        </span>
      </label>
      {sideBySide && <SideBySide answer={pairAnswer} hasPicture={input !== null} />}
    </section>
  );
}
