/** "Map of the test set": the model's view of 2,000 test images laid out flat, the picture's place on it, and its nearest test images. */
import { useEffect, useId, useRef, type RefObject } from 'react';
import { CLASS_NAMES } from '../../core/classes.ts';
import type { TestSetMapState } from '../../app/test-set-map/test-set-map-service.ts';
import { CLASS_COLOURS } from './class-colours.ts';
import { NearestImages } from './NearestImages.tsx';
import { paintTestSetMap } from './paint-test-set-map.ts';

/** The map's side in CSS pixels where there is room; narrower screens scale it down. */
const SIDE = 420;

/**
 * @param sectionRef the map's section, to tell when it comes into view
 * @param deferred true until the section first comes near the screen: the map is made then
 * @param state the map's state; null where this browser cannot make it off the page (or not yet, when deferred)
 * @param title which picture is marked ("your drawing"), null when there is none
 * @param testImages the test set, for the nearest images' tiles
 * @param onOpen answers a test image instead of the picture
 */
export function TestSetMapView({
  sectionRef,
  ...props
}: {
  sectionRef?: RefObject<HTMLElement | null>;
  deferred?: boolean;
  state: TestSetMapState | null;
  title: string | null;
  testImages: Uint8Array | null;
  onOpen?: (index: number) => void;
}) {
  const { state, title } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const headingId = useId();
  const positions = state?.positions ?? null;
  const labels = state?.labels ?? null;
  const marker = title ? (state?.marker ?? null) : null;
  useEffect(() => {
    if (canvas.current) paintTestSetMap(canvas.current, SIDE, positions, labels, marker);
  }, [positions, labels, marker]);

  const status = state?.status;
  const count = (state?.indices?.length ?? 2000).toLocaleString('en');
  const nearest = title && state?.nearest && props.testImages ? state.nearest : null;
  const near = nearest ? [...new Set(nearest.map((n) => CLASS_NAMES[n.label]))].join(' and ') : null;
  return (
    <section ref={sectionRef} className="subpanel test-set-map" aria-labelledby={headingId}>
      <h4 id={headingId}>Map of the test set</h4>
      <p className="muted small">
        Each dot is one of {count} test images, placed by what the answering model makes of it just before it names a class. Images the
        model finds alike sit close together: a class the model knows well forms a cloud of its own, and clouds that touch are classes it
        mixes up. The ring marks {title ?? 'your drawing or upload'}: it sits among the test images most like it. The map is flattened to
        two dimensions (with UMAP), so neighbours on it mean more than the distances between far-apart clouds.
      </p>
      {props.deferred && (
        <p role="status" className="muted small map-status">
          The map is made when you scroll to it.
        </p>
      )}
      {!state && !props.deferred && (
        <p className="muted small">This browser cannot make the map without holding up the page, so it is not shown here.</p>
      )}
      {status && status.kind === 'error' && (
        <p role="alert" className="alert">
          {status.message}
        </p>
      )}
      {status && (status.kind === 'computing' || status.kind === 'waiting' || status.kind === 'paused') && (
        <p role="status" className="muted small map-status">
          {status.message}
        </p>
      )}
      {state?.training && status?.kind === 'ready' && (
        <p className="muted small map-training-note">
          A model is training: this map stays the answering model&apos;s, and is made again if the new model takes over at the end.
        </p>
      )}
      {state && (
        <div className="test-set-map-body">
          <figure className="test-set-map-figure">
            <canvas
              ref={canvas}
              role="img"
              aria-label={`Map of the test set: ${count} test images coloured by class${marker && near ? `; ${title} is marked among ${near}` : ''}`}
              data-drawn={positions ? 'true' : undefined}
              data-epoch={state.epoch}
              data-marker={marker ? marker.map((v) => v.toFixed(4)).join(' ') : undefined}
              style={{ width: SIDE, maxWidth: '100%', aspectRatio: '1' }}
            />
            <ul className="map-legend" aria-label="Classes on the map">
              {CLASS_NAMES.map((name, c) => (
                <li key={name}>
                  <span className="swatch" style={{ background: CLASS_COLOURS[c] }} aria-hidden="true" />
                  {name}
                </li>
              ))}
            </ul>
          </figure>
          {nearest && title && props.testImages && (
            <NearestImages nearest={nearest} testImages={props.testImages} title={title} onOpen={props.onOpen} />
          )}
          {!title && positions && (
            <p className="muted small">Draw or upload a picture to see where it lands and which test images are nearest to it.</p>
          )}
        </div>
      )}
    </section>
  );
}
