import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ClassifyPanel } from './classify/ClassifyPanel.tsx';
import { ErrorList } from './components/Alerts.tsx';
import { BackendPanel } from './components/BackendPanel.tsx';
import { CompareModelPicker, compareCnn } from './compare/CompareModelPicker.tsx';
import { ComparePanel } from './compare/ComparePanel.tsx';
import { CompareResults } from './compare/CompareResults.tsx';
import { MODE_PANEL_ID, ModeTabs, tabId } from './compare/ModeTabs.tsx';
import { useCompareUrl } from './compare/useCompareUrl.ts';
import { DatasetPanel } from './components/DatasetPanel.tsx';
import { EvaluationPanel } from './components/EvaluationPanel.tsx';
import { HyperparameterForm } from './components/HyperparameterForm.tsx';
import { ModelPicker } from './components/ModelPicker.tsx';
import { PresetPicker } from './components/PresetPicker.tsx';
import { TrainControls } from './components/TrainControls.tsx';
import { TrainingCharts } from './components/TrainingCharts.tsx';
import { dataBaseUrl, useTrainingClient } from './hooks/useTrainingClient.ts';
import { useUrlConfig } from './hooks/useUrlConfig.ts';
import { compareReducer, initialCompareState, isComparing } from '../app/state/compare-state.ts';
import { canTrain, initialPageState, isBusy, pageReducer } from '../app/state/page-state.ts';
import type { BackendChoice, WorkerToPage } from '../app/protocol.ts';
import './app.css';

const fake = new URLSearchParams(window.location.search).get('fake') === '1';

/**
 * The playground: renders the state folded from the worker's messages and sends it commands.
 * No training happens on this thread.
 */
export function App() {
  const [state, dispatch] = useReducer(pageReducer, initialPageState);
  const settings = useUrlConfig();
  const [evaluateEachEpoch, setEvaluateEachEpoch] = useState(true);
  const lastRunId = useRef(0);
  const [compare, dispatchCompare] = useReducer(compareReducer, initialCompareState);
  const { mode, setMode, equalSize, setEqualSize } = useCompareUrl();

  const onMessage = useCallback((msg: WorkerToPage) => {
    dispatch(msg);
    dispatchCompare(msg);
  }, []);
  const onFailure = useCallback((message: string) => dispatch({ type: 'page/error', message }), []);
  const { send, connected } = useTrainingClient(onMessage, onFailure, fake);

  const comparing = isComparing(compare);
  const busy = isBusy(state) || comparing;
  const dataReady = canTrain(state) || busy;
  const config = settings.config;

  // Two clicks in one task both see the state before either re-render: the ref closes that gap.
  const trainRequested = useRef(false);
  useEffect(() => {
    if (!busy) trainRequested.current = false;
  }, [busy]);

  const train = () => {
    if (!config || !canTrain(state) || comparing || trainRequested.current) return;
    trainRequested.current = true;
    const runId = ++lastRunId.current;
    dispatch({ type: 'page/train', runId, config, evaluateEachEpoch });
    send({ type: 'train', runId, config, evaluateEachEpoch });
  };
  const stop = () => {
    if (!state.run || !busy) return;
    dispatch({ type: 'page/stop', runId: state.run.runId });
    send({ type: 'stop', runId: state.run.runId });
  };
  const retryData = () => {
    dispatch({ type: 'page/retry-data' });
    send({ type: 'load-data', baseUrl: dataBaseUrl() });
  };
  const chooseBackend = (backend: BackendChoice) => {
    dispatch({ type: 'page/set-backend', backend });
    send({ type: 'set-backend', backend });
  };
  const compareModels = { dense: equalSize ? 'dense-wide' : 'dense', cnn: compareCnn(settings.drafts.model) } as const;
  const startCompare = () => {
    if (!config || busy || !dataReady || trainRequested.current) return;
    trainRequested.current = true;
    const runId = ++lastRunId.current;
    const compareConfig = { ...config, model: compareModels.cnn };
    dispatchCompare({ type: 'page/compare', runId, config: compareConfig, models: compareModels });
    send({ type: 'compare', runId, config: compareConfig, models: compareModels });
  };
  const stopCompare = () => {
    if (!compare.run || !comparing) return;
    dispatchCompare({ type: 'page/compare-stop', runId: compare.run.runId });
    send({ type: 'stop', runId: compare.run.runId });
  };
  const evaluate = () => state.run && send({ type: 'evaluate', runId: state.run.runId });

  const blockedReason = !config
    ? 'Fix the hyperparameters marked above to train.'
    : !dataReady
      ? 'Train is enabled as soon as the training images are in.'
      : null;

  return (
    <main>
      <header className="page-header">
        <h1>Fashion-MNIST Playground</h1>
        <p className="muted">Pick a network, press Train, and watch it learn to tell a shirt from a coat — in your browser.</p>
        <p className="muted small"><a href="#classify">Or draw or upload a clothing item</a> and see what a ready-trained model says.</p>
      </header>

      <ErrorList errors={state.errors} onDismiss={(id) => dispatch({ type: 'page/dismiss-error', id })} />
      {settings.urlErrors.length > 0 && (
        <div role="alert" className="alert">
          <span>
            The link had settings that could not be used, so their defaults apply instead:{' '}
            {settings.urlErrors.join('; ')}.
          </span>
          <button type="button" className="link-button" onClick={settings.dismissUrlErrors}>
            Dismiss
          </button>
        </div>
      )}

      <ModeTabs mode={mode} onChange={setMode} />
      <div className="layout" role="tabpanel" id={MODE_PANEL_ID} aria-labelledby={tabId(mode)}>
        <div className="column setup">
          <DatasetPanel dataset={state.dataset} connected={connected} onRetry={retryData} />
          <section className="panel" aria-labelledby="setup-heading">
            <h2 id="setup-heading">Model and hyperparameters</h2>
            {mode === 'compare' ? (
              <CompareModelPicker
                cnn={compareModels.cnn}
                equalSize={equalSize}
                disabled={busy}
                onPick={settings.applyModel}
                onEqualSize={setEqualSize}
              />
            ) : (
              <>
                <PresetPicker config={config} disabled={busy} onPick={settings.applyPreset} />
                <ModelPicker value={settings.drafts.model} disabled={busy} onPick={settings.applyModel} />
              </>
            )}
            <HyperparameterForm
              drafts={settings.drafts}
              errors={settings.fieldErrors}
              disabled={busy}
              onChange={settings.setField}
            />
            <p className="muted small">The address bar holds these settings: share the link to repeat the run.</p>
          </section>
          <BackendPanel
            report={state.backend}
            requested={state.backendRequested}
            disabled={busy}
            onChoose={chooseBackend}
          />
        </div>

        <div className="column results">
          {mode === 'compare' ? (
            <ComparePanel
              run={compare.run}
              models={compareModels}
              config={config}
              canStart={config !== null && dataReady && !busy}
              blockedReason={
                isBusy(state)
                  ? 'A single model is training: stop it first (under "Train one model").'
                  : !config
                    ? 'Fix the hyperparameters marked on the left to compare.'
                    : !dataReady
                      ? 'Compare is enabled as soon as the training images are in.'
                      : null
              }
              onCompare={startCompare}
              onStop={stopCompare}
            />
          ) : (
            <>
              <TrainControls
                run={state.run}
                canTrain={config !== null && canTrain(state) && !comparing}
                blockedReason={blockedReason}
                evaluateEachEpoch={evaluateEachEpoch}
                onEvaluateEachEpoch={setEvaluateEachEpoch}
                onTrain={train}
                onStop={stop}
              />
              <TrainingCharts run={state.run} />
              <EvaluationPanel run={state.run} summary={state.dataset.summary} onEvaluate={evaluate} />
            </>
          )}
        </div>
      </div>
      {mode === 'compare' && <CompareResults run={compare.run} summary={state.dataset.summary} />}

      <ClassifyPanel trainedModel={state.trainedModel} comparePair={compare.run?.trained ?? null} engineBackendReady={state.backend !== null} />
    </main>
  );
}
