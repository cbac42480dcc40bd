import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ClassifyPanel } from './classify/ClassifyPanel.tsx';
import { ErrorList } from './components/Alerts.tsx';
import { BackendPanel } from './components/BackendPanel.tsx';
import { DatasetPanel } from './components/DatasetPanel.tsx';
import { EvaluationPanel } from './components/EvaluationPanel.tsx';
import { HyperparameterForm } from './components/HyperparameterForm.tsx';
import { ModelPicker } from './components/ModelPicker.tsx';
import { PresetPicker } from './components/PresetPicker.tsx';
import { TrainControls } from './components/TrainControls.tsx';
import { TrainingCharts } from './components/TrainingCharts.tsx';
import { dataBaseUrl, useTrainingClient } from './hooks/useTrainingClient.ts';
import { useUrlConfig } from './hooks/useUrlConfig.ts';
import { canTrain, initialPageState, isBusy, pageReducer } from './state/page-state.ts';
import type { BackendChoice, WorkerToPage } from './worker/protocol.ts';
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

  const onMessage = useCallback((msg: WorkerToPage) => dispatch(msg), []);
  const onFailure = useCallback((message: string) => dispatch({ type: 'page/error', message }), []);
  const { send, connected } = useTrainingClient(onMessage, onFailure, fake);

  const busy = isBusy(state);
  const dataReady = canTrain(state) || busy;
  const config = settings.config;

  // Two clicks in one task both see the state before either re-render: the ref closes that gap.
  const trainRequested = useRef(false);
  useEffect(() => {
    if (!busy) trainRequested.current = false;
  }, [busy]);

  const train = () => {
    if (!config || !canTrain(state) || trainRequested.current) return;
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

      <div className="layout">
        <div className="column setup">
          <DatasetPanel dataset={state.dataset} connected={connected} onRetry={retryData} />
          <section className="panel" aria-labelledby="setup-heading">
            <h2 id="setup-heading">Model and hyperparameters</h2>
            <PresetPicker config={config} disabled={busy} onPick={settings.applyPreset} />
            <ModelPicker value={settings.drafts.model} disabled={busy} onPick={settings.applyModel} />
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
          <TrainControls
            run={state.run}
            canTrain={config !== null && canTrain(state)}
            blockedReason={blockedReason}
            evaluateEachEpoch={evaluateEachEpoch}
            onEvaluateEachEpoch={setEvaluateEachEpoch}
            onTrain={train}
            onStop={stop}
          />
          <TrainingCharts run={state.run} />
          <EvaluationPanel run={state.run} summary={state.dataset.summary} onEvaluate={evaluate} />
        </div>
      </div>

      <ClassifyPanel trainedModel={state.trainedModel} engineBackendReady={state.backend !== null} />
    </main>
  );
}
