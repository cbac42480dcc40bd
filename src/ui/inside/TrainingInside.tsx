/**
 * "Inside the model" while a run trains: after each epoch, every member's first-layer filters, the
 * maps of its layers and its heat map for one fixed test image, so that a person sees the filters
 * and maps form epoch by epoch (the engine sends them: 'run-inside').
 */
import { useCallback } from 'react';
import type { MemberState, RunState } from '../../app/state/run-state.ts';
import type { InsideResult } from '../../core/inside/look-inside.ts';
import { memberTitles } from '../charts/member-style.ts';
import { MapGrid } from './ActivationViews.tsx';
import { paintFilters, paintHeatOver } from './paint.ts';
import { PaintedCanvas } from './PaintedCanvas.tsx';
import { className } from './words.ts';
import './inside.css';

function MemberInside(props: { title: string | null; inside: NonNullable<MemberState['inside']> }) {
  const { epoch, image, result } = props.inside;
  const after = `after epoch ${epoch}`;
  return (
    <div className="training-inside-member" data-epoch={epoch}>
      {props.title && <h4>{props.title}</h4>}
      <div className="inside-layers">
        <WhyHeat result={result} image={image} after={after} />
        {result.weights.filters && <Filters result={result} after={after} />}
        {result.maps.map((m) => (
          <MapGrid key={m.stage.name} maps={m} named={`Activations of ${m.stage.label} ${after}`} />
        ))}
      </div>
    </div>
  );
}

function WhyHeat({ result, image, after }: { result: InsideResult; image: Uint8Array; after: string }) {
  const cam = result.why.gradCam;
  const heat = cam ?? result.why.smoothGrad;
  const paint = useCallback((canvas: HTMLCanvasElement) => paintHeatOver(canvas, image, heat.values), [heat, image]);
  const name = className(result.why.classIndex);
  return (
    <figure className="inside-grid">
      <figcaption>
        <strong>Why {name}</strong> <span className="muted small">its answer for this test image</span>
      </figcaption>
      <PaintedCanvas label={`Why ${name}: heat map ${after}`} paint={paint} className="pixelated" scale={4} />
    </figure>
  );
}

function Filters({ result, after }: { result: InsideResult; after: string }) {
  const filters = result.weights.filters!;
  const paint = useCallback((canvas: HTMLCanvasElement) => paintFilters(canvas, filters), [filters]);
  return (
    <figure className="inside-grid">
      <figcaption>
        <strong>Filters of {filters.stage.label}</strong>
      </figcaption>
      <PaintedCanvas label={`Filters of ${filters.stage.label} ${after}`} paint={paint} className="pixelated" scale={8} />
    </figure>
  );
}

/** The run's members' views after their latest epochs; nothing before the first epoch ends. */
export function TrainingInside({ run }: { run: RunState }) {
  const members = run.members.map((m, i) => ({ inside: m.inside, i })).filter((m) => m.inside !== null);
  if (members.length === 0) return null;
  const titles = run.members.length > 1 ? memberTitles(run) : null;
  const epochs = [...new Set(members.map((m) => m.inside!.epoch))];
  return (
    <section className="subpanel training-inside" aria-label="Inside the model while it trains">
      <h3>Inside the model, epoch by epoch</h3>
      <p className="muted small">
        The same test image after {epochs.length === 1 ? `epoch ${epochs[0]}` : 'each member’s latest epoch'}: watch the filters and the
        maps sharpen as the network learns. Draw, or click any test image in the results, to look inside in full under Draw or upload.
      </p>
      {members.map(({ inside, i }) => (
        <MemberInside key={i} title={titles ? titles[i] : null} inside={inside!} />
      ))}
    </section>
  );
}
