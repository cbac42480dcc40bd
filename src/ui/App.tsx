import { useEffect, useState } from 'react';
import { MODEL_CATALOG, MODEL_NAMES } from '../core/models/catalog.ts';
import { parseManifest, type DatasetManifest } from '../core/manifest.ts';
import './app.css';

type DataState = { kind: 'loading' } | { kind: 'ready'; manifest: DatasetManifest } | { kind: 'error'; message: string };

/** Reads the dataset manifest so the page can say what data it has (or what is wrong with it). */
function useManifest(): DataState {
  const [state, setState] = useState<DataState>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    fetch(`${import.meta.env.BASE_URL}data/manifest.json`)
      .then(async (response) => {
        if (!response.ok) throw new Error(`data/manifest.json: HTTP ${response.status}`);
        return parseManifest(await response.json());
      })
      .then(
        (manifest) => live && setState({ kind: 'ready', manifest }),
        (error: Error) =>
          live &&
          setState({
            kind: 'error',
            message: `The dataset could not be read (${error.message}). Run "npm run data" (or "npm start") to build it, then reload.`,
          }),
      );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

export function App() {
  const data = useManifest();
  return (
    <main>
      <h1>Fashion-MNIST Playground</h1>
      <p>Train convolutional networks on Fashion-MNIST and watch them learn.</p>
      <section aria-labelledby="data-heading">
        <h2 id="data-heading">Dataset</h2>
        {data.kind === 'loading' && <p>Reading the dataset manifest…</p>}
        {data.kind === 'error' && <p role="alert">{data.message}</p>}
        {data.kind === 'ready' && (
          <p>
            {data.manifest.splits.train.count.toLocaleString('en')} training and{' '}
            {data.manifest.splits.test.count.toLocaleString('en')} test images in{' '}
            {data.manifest.splits.train.shards.length + data.manifest.splits.test.shards.length} sprite shards, ready to
            stream.
          </p>
        )}
      </section>
      <section aria-labelledby="zoo-heading">
        <h2 id="zoo-heading">Models</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Parameters</th>
              <th scope="col">Layers</th>
              <th scope="col">Origin</th>
            </tr>
          </thead>
          <tbody>
            {MODEL_NAMES.map((name) => (
              <tr key={name}>
                <td>{MODEL_CATALOG[name].title}</td>
                <td className="num">{MODEL_CATALOG[name].parameters.toLocaleString('en')}</td>
                <td>{MODEL_CATALOG[name].summary}</td>
                <td>{MODEL_CATALOG[name].origin}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          Train any of them from the command line today: <code>npm run train -- --model tinyvgg --epochs 3</code>. Training
          in this page, with live charts, comes next.
        </p>
      </section>
    </main>
  );
}
