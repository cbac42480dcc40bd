/** Entry of the page: mounts the App and warms up the chart library while the data streams in. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';
import { warmUpCharts } from './ui/components/tfvis.ts';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// While the dataset streams in, so the first live chart does not pay for compiling vega.
warmUpCharts();
