/** The region's InsideViews (app/inside/inside-views.ts), kept for the panel's lifetime and fed the models on show. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { InspectRequest } from '../../core/inside/inspector.ts';
import type { Inspection } from '../../app/classify/classification-service.ts';
import { InsideViews, type InsideState } from '../../app/inside/inside-views.ts';
import type { ShownModel } from '../../app/inside/shown-models.ts';

const EMPTY: InsideState = {};
const noSubscription = () => () => {};

/**
 * @param requestOf the request for a model's view (the class to explain, its Grad-CAM layer)
 */
export function useInsideViews(
  inspect: (key: string, image: Uint8Array, request: InspectRequest) => Promise<Inspection>,
  shown: readonly ShownModel[],
  requestOf: (key: string) => InspectRequest,
): InsideState {
  const [views, setViews] = useState<InsideViews | null>(null);
  useEffect(() => {
    const created = new InsideViews(inspect);
    // The effect makes and disposes an outside resource; the state only hands it to the render.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setViews(created);
    return () => created.dispose();
  }, [inspect]);
  const state = useSyncExternalStore(views?.subscribe ?? noSubscription, views?.getState ?? (() => EMPTY));
  useEffect(() => {
    views?.show(shown.map((m) => ({ key: m.key, image: m.image, version: m.version, request: requestOf(m.key) })));
  }, [views, shown, requestOf]);
  return state;
}
