/** The Draw or upload panel: a drawing or an upload, its 28×28 input, and the page's models' answers. */
import { useCallback, useEffect, useMemo, useState, type RefObject } from 'react';
import { drawingInput } from '../../core/sketch/drawing-input.ts';
import type { TrainedModel } from '../../app/protocol.ts';
import { engineRunsInWorker } from '../../app/backend/worker-support.ts';
import { readPicture } from '../../app/classify/decode-client.ts';
import { UploadError } from '../../app/classify/upload-input.ts';
import { AnsweringLine } from './AnsweringLine.tsx';
import { DrawingPad } from './DrawingPad.tsx';
import { InputPreview } from './InputPreview.tsx';
import { ModelControls } from './ModelControls.tsx';
import { PredictionBars } from './PredictionBars.tsx';
import { SideBySide } from './SideBySide.tsx';
import { UploadDropZone } from './UploadDropZone.tsx';
import { usePageModels } from './usePageModels.ts';
import { useDelayedFlag } from '../hooks/useDelayedFlag.ts';
import { InsideModel, type MapSlotProps } from '../inside/InsideModel.tsx';
import { TestSetMapSlot } from '../test-set-map/TestSetMapSlot.tsx';
import { CLASS_NAMES, IMAGE_PIXELS } from '../../core/classes.ts';
import type { OpenedPicture } from '../inside/open-picture.ts';

interface Input {
  image: Uint8Array;
  /** Which input it is: the pad is dimmed while an upload or a test image is answered. */
  source: 'drawing' | 'upload' | 'test';
  /** The upload's file name, the test image's caption, or null for a drawing. */
  name: string | null;
  /** Where it came from, for the preview's caption. */
  caption: string;
}

/** "your drawing", "your upload, shirt.png": which input the bars answer. */
const inputTitle = (input: Input) =>
  input.source === 'drawing'
    ? 'your drawing'
    : input.source === 'test'
      ? `the test image (${input.name})`
      : `your upload${input.name ? `, ${input.name}` : ''}`;

/**
 * Draw or upload a clothing item and see what a model says: the ready-trained one from the start;
 * a run's model once it is at least as good, or once the person chooses it (which model answers is
 * said right above the bars). Everything runs on this page; nothing is sent anywhere.
 * @param trained the model the latest Train run handed over
 * @param pair the latest comparison's models: 0 the baseline, 1 the challenger
 * @param engineBackendReady true once the training engine has chosen its backend
 * @param dataLoading true while the training images are coming: the ready-trained model waits
 * @param openerRef the panel puts here what opens a test image from the results (answered in place of the drawing)
 * @param test the test set (the map of the test set, its nearest images), null until it is in
 * @param training true while a run trains: the map of the test set waits
 */
export function ClassifyPanel(props: {
  trained: TrainedModel | null;
  pair: TrainedModel[] | null;
  engineBackendReady: boolean;
  dataLoading: boolean;
  openerRef?: RefObject<((picture: OpenedPicture) => void) | null>;
  test: { images: Uint8Array; labels: Uint8Array } | null;
  training: boolean;
}) {
  // Models answer in a worker wherever the training engine can run in one (engineRunsInWorker is probed once).
  const inWorker = useMemo(() => engineRunsInWorker(), []);
  const { state, commands } = usePageModels(props.trained, props.pair, inWorker, props.engineBackendReady, props.dataLoading);
  const [input, setInput] = useState<Input | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  /** Said when several files came at once: which one is answered. */
  const [uploadNote, setUploadNote] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const { classify } = commands;

  const show = useCallback(
    (next: Input | null, measure?: string) => {
      setInput(next);
      classify(next?.image ?? null, measure);
    },
    [classify],
  );

  const onDrawing = useCallback(
    (rgba: Uint8ClampedArray | null, width: number, height: number) => {
      setUploadNote(null);
      if (!rgba) {
        show(null);
        return;
      }
      const r = drawingInput(rgba, width, height);
      show(
        r.empty
          ? null
          : {
              image: r.image,
              source: 'drawing',
              name: null,
              caption: 'From your drawing: trimmed, scaled to fit 28 × 28, centred, inverted.',
            },
      );
    },
    [show],
  );

  const onFile = useCallback(
    async (file: File) => {
      setUploadError(null);
      setReading(true);
      try {
        const start = performance.now();
        const { input: r, where } = await readPicture(file);
        // For DevTools' performance panel (and the browser tests): where an upload's time goes.
        // The second measure, 'upload: classify', ends when the answering model has answered.
        performance.measure(`upload: decode+preprocess (${where})`, { start, end: performance.now() });
        if (r.empty) throw new UploadError(`No clothing item found in ${file.name || 'the picture'}: it looks blank.`);
        const size = `${r.originalWidth.toLocaleString('en')} × ${r.originalHeight.toLocaleString('en')}`;
        const scaled = r.width !== r.originalWidth ? `, read at ${r.width} × ${r.height}` : '';
        show(
          {
            image: r.image,
            source: 'upload',
            name: file.name || null,
            caption: `From ${file.name || 'the pasted picture'} (${r.format}, ${size}${scaled}): ${r.inverted ? 'light background, inverted, ' : ''}trimmed, scaled, centred.`,
          },
          'upload: classify',
        );
      } catch (error) {
        setUploadError(error instanceof UploadError ? error.message : `The picture could not be read: ${(error as Error).message}`);
      } finally {
        setReading(false);
      }
    },
    [show],
  );

  // A test image opened from the results: answered, and the region inside the model brought on screen.
  const { openerRef } = props;
  useEffect(() => {
    if (!openerRef) return;
    openerRef.current = (picture) => {
      setUploadNote(null);
      show({
        image: picture.image,
        source: 'test',
        name: picture.caption,
        caption: 'A test image from the results, as the model reads it.',
      });
      document.getElementById('inside-the-model')?.scrollIntoView({ block: 'start' });
    };
    return () => {
      openerRef.current = null;
    };
  }, [openerRef, show]);

  // A nearest test image clicked on the map of the test set: answered in place of the picture, where it is.
  const testImages = props.test?.images ?? null;
  const testLabels = props.test?.labels ?? null;
  const openTestImage = useCallback(
    (index: number) => {
      if (!testImages || !testLabels) return;
      setUploadNote(null);
      show({
        image: testImages.slice(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS),
        source: 'test',
        name: `${CLASS_NAMES[testLabels[index]] ?? 'unknown class'}, number ${index + 1} of the test set`,
        caption: 'A test image near your picture on the map, as the model reads it.',
      });
    },
    [testImages, testLabels, show],
  );
  const { modelData } = commands;
  const { test, training } = props;
  const title = input ? inputTitle(input) : null;
  const renderMap = useCallback(
    ({ model }: MapSlotProps) => (
      <TestSetMapSlot
        enabled={inWorker}
        data={modelData(model.key)}
        test={test}
        training={training}
        image={model.image}
        title={title ?? 'the picture'}
        onOpen={openTestImage}
      />
    ),
    [inWorker, modelData, test, training, title, openTestImage],
  );

  /** One picture is answered at a time: the first of several files, saying so. */
  const onFiles = useCallback(
    (files: File[]) => {
      const [first, ...rest] = files;
      setUploadNote(
        rest.length === 0
          ? null
          : `You gave ${files.length} files at once; one picture is answered at a time, so this is the answer for the first, ${first.name || 'the first picture'}. Give the others one by one.`,
      );
      void onFile(first);
    },
    [onFile],
  );

  // A newer picture than the bars' is being answered; said under them only when that takes a while.
  const waiting = input !== null && state.waiting;
  const slowAnswer = useDelayedFlag(waiting, 500);

  // Only the answer of the model the page says is answering (a switch shows nothing until it has answered).
  const p = state.answer?.key === state.active ? state.answer : null;
  return (
    <section className="panel classify-panel" aria-labelledby="classify-heading" id="classify">
      <h2 id="classify-heading">Draw or upload</h2>
      <p className="muted">Sketch a clothing item or give it a product photo, and see what the model says about all ten classes.</p>
      <ModelControls state={state} commands={commands} />
      <div className="classify-grid">
        <div className="classify-source">
          {/* While an upload is answered, the sketch stays but is dimmed: the bars are not about it. */}
          <DrawingPad
            onPicture={onDrawing}
            inactiveNote={
              input && input.source !== 'drawing'
                ? `${input.source === 'upload' ? 'Your upload' : 'The test image'} is answered now. Draw here to answer your drawing again.`
                : null
            }
          />
          <UploadDropZone onFiles={onFiles} busy={reading} />
          {uploadNote && (
            <p role="status" className="note upload-note">
              {uploadNote}
            </p>
          )}
          {uploadError && (
            <div role="alert" className="alert upload-error">
              <span>{uploadError}</span>
              <button type="button" className="link-button" onClick={() => setUploadError(null)}>
                Dismiss
              </button>
            </div>
          )}
        </div>
        <InputPreview
          image={input?.image ?? null}
          label={input ? `Answered: ${inputTitle(input)}` : null}
          caption={input?.caption ?? 'What the model sees appears here: 28 × 28 pixels, bright on black.'}
        />
        <div className="classify-result">
          <AnsweringLine state={state} commands={commands} />
          {input && (
            <p className="small answered-input" data-source={input.source}>
              The bars answer <strong>{inputTitle(input)}</strong>.
            </p>
          )}
          <PredictionBars
            prediction={input ? p : null}
            placeholder={input ? `Answering ${inputTitle(input)}…` : "Draw something or upload a picture to see the model's answer."}
            busy={waiting}
          />
          {slowAnswer && p ? (
            <p className="muted small answering-now" role="status">
              Answering {input ? inputTitle(input) : 'the picture'}…
            </p>
          ) : (
            input &&
            p && (
              <p className="muted small answered-by" data-ms={p.ms.toFixed(1)} data-tensors={p.tensors}>
                Answered in {p.ms < 1 ? 'under 1' : Math.round(p.ms)} ms, on this page.
              </p>
            )
          )}
        </div>
      </div>
      <label className="side-by-side-toggle">
        <input type="checkbox" checked={state.sideBySide.on} onChange={(e) => commands.setSideBySide(e.target.checked)} /> Two models side
        by side{' '}
        <span className="muted small">
          {state.sideBySide.fromComparison
            ? '(the two models of your comparison)'
            : '(the ready-trained dense network and CNN; a comparison replaces them)'}
        </span>
      </label>
      {state.sideBySide.on && <SideBySide members={state.sideBySide.members} error={state.sideBySide.error} hasPicture={input !== null} />}
      <InsideModel
        shown={input ? state.inside : []}
        inspect={commands.inspect}
        renderMap={renderMap}
        pairHint={
          state.sideBySide.on
            ? null
            : `To look inside both models at once (${state.sideBySide.fromComparison ? 'those of your comparison' : 'the dense network and the CNN'}), tick “side by side” above.`
        }
      />
    </section>
  );
}
