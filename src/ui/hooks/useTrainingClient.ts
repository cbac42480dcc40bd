/**
 * Creates the TrainingClient once for the page's lifetime, forwards every message to `onMessage`,
 * asks the worker to start streaming the dataset, and disposes the client on unmount.
 * With `?fake=1` in the URL it uses the development fake, which replays a recorded-style run.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrainingClientLike } from '../../app/engine-connection.ts';
import { useLatest } from './useLatest.ts';
import type { PageToWorker, WorkerToPage } from '../../app/protocol.ts';

async function createClient(fake: boolean): Promise<TrainingClientLike> {
  if (fake) {
    const { FakeEngineClient } = await import('../../app/replay/fake-engine.ts');
    return new FakeEngineClient();
  }
  const { createTrainingClient } = await import('../../app/engine-client.ts');
  return createTrainingClient();
}

export function dataBaseUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}data/`, window.location.href).href;
}

export function useTrainingClient(
  onMessage: (msg: WorkerToPage) => void,
  onFailure: (message: string) => void,
  fake: boolean,
): { send: (msg: PageToWorker) => void; connected: boolean } {
  const client = useRef<TrainingClientLike | null>(null);
  const handlers = useLatest({ onMessage, onFailure });
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    let disposed = false;
    let unsubscribe: (() => void) | null = null;
    let created: TrainingClientLike | null = null;
    createClient(fake).then(
      (c) => {
        if (disposed) {
          c.dispose();
          return;
        }
        created = c;
        client.current = c;
        unsubscribe = c.subscribe((msg) => handlers.current.onMessage(msg));
        setConnected(true);
        c.send({ type: 'load-data', baseUrl: dataBaseUrl() });
      },
      (error: Error) => {
        if (!disposed) {
          handlers.current.onFailure(
            `The training engine could not start: ${error.message} Reload the page; if it persists, rebuild the app (npm run build).`,
          );
        }
      },
    );
    return () => {
      disposed = true;
      unsubscribe?.();
      created?.dispose();
      client.current = null;
      setConnected(false);
    };
  }, [fake, handlers]);

  const send = useCallback(
    (msg: PageToWorker) => {
      if (client.current) client.current.send(msg);
      else handlers.current.onFailure('The training engine is not connected yet: wait a moment and try again.');
    },
    [handlers],
  );

  return { send, connected };
}
