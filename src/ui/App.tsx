/** The playground page: renders the state folded from the engine's messages and sends it commands. */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { TrainingConfig } from '../core/config.ts';
import { isModelName } from '../core/models/catalog.ts';
import type { BackendChoice, WorkerToPage } from '../app/protocol.ts';
import { canTrain, initialPageState, isBusy, pageReducer } from '../app/state/page-state.ts';
import { isRunning, type RunPurpose } from '../app/state/run-state.ts';
import { LearningCurves } from './charts/LearningCurves.tsx';
import { ClassifyPanel } from './classify/ClassifyPanel.tsx';
import { CompareModelPicker } from './compare/CompareModelPicker.tsx';
import { ComparePanel } from './compare/ComparePanel.tsx';
import { compareCnn, compareMembers } from '../app/compare-members.ts';
import { confirmMessage, describeEstimate, estimateBackend } from '../app/expected-time.ts';
import { estimateRun, needsConfirmation } from '../core/run-estimate.ts';
import { CompareResults } from './compare/CompareResults.tsx';
import { ModePanel, ModeTabs } from './compare/ModeTabs.tsx';
import { ErrorList } from './components/Alerts.tsx';
import { BackendPanel } from './components/BackendPanel.tsx';
import { DatasetPanel } from './components/DatasetPanel.tsx';
import { EpochTable } from './components/EpochTable.tsx';
import { EvaluationPanel } from './components/EvaluationPanel.tsx';
import { HyperparameterForm } from './components/HyperparameterForm.tsx';
import { ModelLayers } from './components/ModelLayers.tsx';
import { ModelPicker } from './components/ModelPicker.tsx';
import { PresetPicker } from './components/PresetPicker.tsx';
import { dataBaseUrl, useTrainingClient } from './hooks/useTrainingClient.ts';
import { useLeaveWarning } from './hooks/useLeaveWarning.ts';
import { DRAW_HASH, useUrlConfig } from './hooks/useUrlConfig.ts';
import { EvaluateWhen } from './run/EvaluateWhen.tsx';
import { RunPanel } from './run/RunPanel.tsx';
import { replayMode } from './replay-mode.ts';
import { OpenPictureContext, type OpenedPicture } from './inside/open-picture.ts';
import { TrainingInside } from './inside/TrainingInside.tsx';
import './app.css';

/** No training happens on this thread: runs go to the engine (a worker) as 'run' messages. */
export function App() {
  const [state, dispatch] = useReducer(pageReducer, initialPageState);
  const settings = useUrlConfig();
  const [evaluateEachEpoch, setEvaluateEachEpoch] = useState(true);
  const lastRunId = useRef(0);
  const { mode, setMode, equalSize, setEqualSize, compareWhat, setCompareWhat } = settings;
  /** Opens a test image from the results (a tile) under Draw or upload: the Classify panel sets it. */
  const openerRef = useRef<((picture: OpenedPicture) => void) | null>(null);
  const openPicture = useCallback((picture: OpenedPicture) => openerRef.current?.(picture), []);

  // A run's end is stamped on arrival: the page says how long it took from the click.
  const onMessage = useCallback((msg: WorkerToPage) => dispatch(msg.type === 'run-end' ? { ...msg, at: performance.now() } : msg), []);
  const onFailure = useCallback((message: string) => dispatch({ type: 'page/error', message }), []);
  const { send, connected } = useTrainingClient(onMessage, onFailure, replayMode);

  const busy = isBusy(state);
  useLeaveWarning(busy);

  // A link to the Draw tab (the heading's, or an address ending in #draw) brings its pad on screen:
  // the tabs at the top, the pad under them (no element has that id, so the browser leaves it to us).
  useEffect(() => {
    const bring = () => {
      if (window.location.hash === DRAW_HASH) document.querySelector('.mode-tabs')?.scrollIntoView({ block: 'start' });
    };
    bring();
    window.addEventListener('hashchange', bring);
    return () => window.removeEventListener('hashchange', bring);
  }, []);
  const dataReady = canTrain(state) || busy;
  const summary = state.dataset.summary;
  const testSet = useMemo(() => (summary ? { images: summary.testImages, labels: summary.testLabels } : null), [summary]);
  const config = settings.config;
  const { train: trainRun, compare: compareRun } = state.runs;

  // Two clicks in one task both see the state before either re-render: the ref closes that gap.
  const runRequested = useRef(false);
  useEffect(() => {
    if (!busy) runRequested.current = false;
  }, [busy]);

  const estimate = (members: TrainingConfig[] | null, evaluateEach: boolean) =>
    members ? estimateRun(members, evaluateEach, estimateBackend(state.backend)) : null;

  /** The one way a run starts: Train sends one member, Compare two; a long run asks first. */
  const startRun = (purpose: RunPurpose, members: TrainingConfig[], evaluateEach: boolean) => {
    if (!canTrain(state) || runRequested.current) return;
    const expected = estimate(members, evaluateEach)!;
    if (needsConfirmation(expected) && !window.confirm(confirmMessage(expected))) return;
    runRequested.current = true;
    const runId = ++lastRunId.current;
    // startRun runs on a click, never while rendering; the rule cannot tell a handler from render here.
    // eslint-disable-next-line react-hooks/purity
    dispatch({ type: 'page/run', runId, purpose, members, evaluateEachEpoch: evaluateEach, at: performance.now() });
    send({ type: 'run', runId, members, evaluateEachEpoch: evaluateEach });
  };
  const stopRun = (purpose: RunPurpose) => {
    const run = state.runs[purpose];
    if (!run || !isRunning(run)) return;
    dispatch({ type: 'page/stop', runId: run.runId });
    send({ type: 'stop', runId: run.runId });
  };
  const retryData = () => {
    dispatch({ type: 'page/retry-data' });
    send({ type: 'load-data', baseUrl: dataBaseUrl() });
  };
  const chooseBackend = (backend: BackendChoice) => {
    dispatch({ type: 'page/set-backend', backend });
    send({ type: 'set-backend', backend });
  };
  const compareModels: [TrainingConfig['model'], TrainingConfig['model']] = [
    equalSize ? 'dense-wide' : 'dense',
    compareCnn(settings.drafts.model),
  ];
  const compareConfigs = config ? compareMembers(config, compareWhat, compareModels[1], compareModels[0]) : null;
  const train = () => config && startRun('train', [config], evaluateEachEpoch);
  const trainEstimate = estimate(config && [config], evaluateEachEpoch);
  const compareEstimate = estimate(compareConfigs, true);
  // Compare tests each model after each of its epochs: the curves need the points.
  const compare = () => compareConfigs && startRun('compare', compareConfigs, true);
  const evaluate = () => trainRun && send({ type: 'evaluate', runId: trainRun.runId });

  const blockedReason = !config
    ? 'Fix the hyperparameters marked in red to train.'
    : !dataReady
      ? 'Train is enabled as soon as the training images are in.'
      : null;

  return (
    <OpenPictureContext.Provider value={openPicture}>
      <main>
        <header className="page-header">
          <h1>Fashion-MNIST Playground</h1>
          <p className="muted">Pick a network, press Train, and watch it learn to tell a shirt from a coat — in your browser.</p>
          <p className="muted small">
            <a href={DRAW_HASH}>Or draw or upload a clothing item</a> and see what a ready-trained model says.
          </p>
          {replayMode && (
            <p className="replay-banner" role="note" aria-label="Replay">
              {/* No link here: it would come before Train in the Tab order. */}
              <strong>Replay, not real training.</strong> This page replays made-up runs and made-up images to show what it looks like:
              nothing here trains or learns. To train for real, open the page without <code>fake=1</code> in its address.
            </p>
          )}
        </header>

        <ErrorList errors={state.errors} onDismiss={(id) => dispatch({ type: 'page/dismiss-error', id })} />
        {settings.urlErrors.length > 0 && (
          <div role="alert" className="alert">
            <span>
              {settings.urlFallback === 'quick'
                ? "None of the link's settings could be used, so the page opens on the Quick preset, as a link without settings does: "
                : 'The link had settings that could not be used, so their defaults apply instead: '}
              {settings.urlErrors.join('; ')}.
            </span>
            <button type="button" className="link-button" onClick={settings.dismissUrlErrors}>
              Dismiss
            </button>
          </div>
        )}

        <ModeTabs mode={mode} onChange={setMode} />
        {/*
          The run panel (Train or Compare, and its progress) comes first: on a narrow screen it sits
          above the settings instead of after them, and it is the third Tab stop. On a wide one it
          heads the right-hand column (app.css: grid areas).
        */}
        <ModePanel mode={mode}>
          {/* Hidden, not unmounted, on the Draw tab: the charts and the settings stay as they were. */}
          <div className="layout" hidden={mode === 'draw'}>
            <div className="run-area">
              {mode === 'compare' ? (
                <ComparePanel
                  run={compareRun}
                  models={compareModels}
                  what={compareWhat}
                  config={config}
                  canStart={config !== null && dataReady && !busy}
                  blockedReason={
                    isRunning(trainRun)
                      ? 'A single model is training: stop it first (under "Train one model").'
                      : !config
                        ? 'Fix the hyperparameters marked in red to compare.'
                        : !dataReady
                          ? 'Compare is enabled as soon as the training images are in.'
                          : null
                  }
                  expected={compareEstimate && describeEstimate(compareEstimate)}
                  onCompare={compare}
                  onStop={() => stopRun('compare')}
                  resultsHref="#run-results"
                />
              ) : (
                <RunPanel
                  heading="Training"
                  headingHidden
                  startLabel="Train"
                  options={<EvaluateWhen value={evaluateEachEpoch} disabled={busy} onChange={setEvaluateEachEpoch} />}
                  run={trainRun}
                  canStart={config !== null && canTrain(state)}
                  blockedReason={isRunning(compareRun) ? 'A comparison is running: stop it first (under "Compare").' : blockedReason}
                  expected={trainEstimate && describeEstimate(trainEstimate)}
                  onStart={train}
                  onStop={() => stopRun('train')}
                  resultsHref="#run-results"
                />
              )}
            </div>

            <div className="column setup">
              <DatasetPanel dataset={state.dataset} connected={connected} onRetry={retryData} />
              <section className="panel" aria-labelledby="setup-heading">
                <h2 id="setup-heading">Model and hyperparameters</h2>
                {mode === 'compare' ? (
                  <CompareModelPicker
                    cnn={compareModels[1]}
                    equalSize={equalSize}
                    what={compareWhat}
                    onWhat={setCompareWhat}
                    disabled={busy}
                    onPick={settings.applyModel}
                    onEqualSize={setEqualSize}
                  />
                ) : (
                  <>
                    <PresetPicker config={config} disabled={busy} onPick={settings.applyPreset} />
                    <ModelPicker value={settings.drafts.model} disabled={busy} onPick={settings.applyModel} />
                    {isModelName(settings.drafts.model) && <ModelLayers model={settings.drafts.model} />}
                  </>
                )}
                <HyperparameterForm drafts={settings.drafts} errors={settings.fieldErrors} disabled={busy} onChange={settings.setField} />
                <p className="muted small">The address bar holds these settings: share the link to repeat the run.</p>
              </section>
              <BackendPanel report={state.backend} requested={state.backendRequested} disabled={busy} onChoose={chooseBackend} />
            </div>

            <div className="column results" id="run-results">
              {mode === 'compare' ? (
                compareRun && (
                  <>
                    <LearningCurves run={compareRun} />
                    <TrainingInside run={compareRun} />
                  </>
                )
              ) : (
                <>
                  {trainRun && <LearningCurves run={trainRun} />}
                  {trainRun?.members[0] && <EpochTable member={trainRun.members[0]} />}
                  {trainRun && <TrainingInside run={trainRun} />}
                  <EvaluationPanel run={trainRun} summary={state.dataset.summary} onEvaluate={evaluate} />
                </>
              )}
            </div>
          </div>
          {mode === 'compare' && <CompareResults run={compareRun} summary={state.dataset.summary} />}
          {mode === 'draw' && busy && (
            <p className="note">
              A run is training meanwhile: its progress is under “{isRunning(trainRun) ? 'Train one model' : 'Compare'}”.
            </p>
          )}
          {/*
            One panel in one place for every tab (its models live as long as the page): on the Draw tab
            it is all there is, right under the tabs; on the others it follows the run's results.
          */}
          <ClassifyPanel
            trained={trainRun?.models?.[0] ?? null}
            pair={compareRun?.models ?? null}
            engineBackendReady={state.backend !== null}
            dataLoading={state.dataset.summary === null && state.dataset.error === null}
            openerRef={openerRef}
            test={testSet}
            training={busy}
          />
        </ModePanel>
      </main>
    </OpenPictureContext.Provider>
  );
}
