/** Why the model gives a class its score: Grad-CAM's heat map over the picture, SmoothGrad beside it. */
import { useCallback } from 'react';
import type { Inspection } from '../../app/classify/classification-service.ts';
import { paintHeatOver } from './paint.ts';
import { PaintedCanvas } from './PaintedCanvas.tsx';
import { className } from './words.ts';

/**
 * @param image the picture the result is about
 * @param camLayer the layer picker's value ('' for the default) and what changing it does
 */
export function WhyMaps(props: {
  result: Inspection;
  image: Uint8Array;
  camLayer: string;
  onCamLayer: (name: string) => void;
  pickerId: string;
}) {
  const { result, image } = props;
  const { why } = result;
  const name = className(why.classIndex);
  const cam = why.gradCam;
  const paintCam = useCallback((canvas: HTMLCanvasElement) => cam && paintHeatOver(canvas, image, cam.values), [cam, image]);
  const paintSmooth = useCallback(
    (canvas: HTMLCanvasElement) => paintHeatOver(canvas, image, why.smoothGrad.values),
    [why.smoothGrad, image],
  );
  return (
    <div className="inside-why">
      <div className="inside-why-maps">
        {cam ? (
          <figure>
            <PaintedCanvas label={`Why ${name}: heat map`} paint={paintCam} className="pixelated why-map" />
            <figcaption className="small">
              <strong>Heat map</strong>{' '}
              <span className="muted">
                (Grad-CAM at {cam.stage.label}, {cam.height} × {cam.width})
              </span>
              {cam.peak === 0 && <span className="muted"> Nothing here speaks for {name} at this layer.</span>}
            </figcaption>
          </figure>
        ) : (
          <p className="muted small">This model has no convolution layer, so there is no Grad-CAM heat map; SmoothGrad still works.</p>
        )}
        <figure>
          <PaintedCanvas label={`Why ${name}: SmoothGrad`} paint={paintSmooth} className="pixelated why-map" />
          <figcaption className="small">
            <strong>SmoothGrad</strong> <span className="muted">(pixel by pixel)</span>
            {why.smoothGrad.peak === 0 && <span className="muted"> No pixel would raise the score for {name}.</span>}
          </figcaption>
        </figure>
      </div>
      {result.camStages.length > 1 && (
        <p className="inside-picker small">
          <label htmlFor={props.pickerId}>Heat map at layer</label>{' '}
          <select id={props.pickerId} value={props.camLayer} onChange={(e) => props.onCamLayer(e.target.value)}>
            {result.camStages.map((s) => (
              <option key={s.name} value={s.name === result.defaultCam ? '' : s.name}>
                {s.label} ({s.shape[0]} × {s.shape[1]}){s.name === result.defaultCam ? ', the default' : ''}
              </option>
            ))}
          </select>
        </p>
      )}
      {cam ? (
        <p className="muted small">
          Bright where the picture speaks for <strong>{name}</strong>. The heat map shows which parts of the picture the chosen layer saw as
          evidence for it (coarse: one patch per place in that layer&apos;s maps); SmoothGrad shows the pixels where more ink would raise
          the score for {name} most. Both follow the score before softmax, so they still say something when the model is sure.
        </p>
      ) : (
        <p className="muted small">
          Bright where more ink would raise the score for <strong>{name}</strong> most. It follows the score before softmax, so it still
          says something when the model is sure.
        </p>
      )}
    </div>
  );
}
