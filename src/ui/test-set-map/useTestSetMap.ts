/** The page's map of the test set (app/test-set-map/), held for the panel's lifetime, fed from its props. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ModelData } from '../../core/model-json.ts';
import { createTestSetMapService } from '../../app/test-set-map/create-test-set-map.ts';
import type { TestSetMapService, TestSetMapState } from '../../app/test-set-map/test-set-map-service.ts';

const noSubscription = () => () => {};

/**
 * @param enabled false where the page has no module workers: no map is made (it would hold up the page)
 * @param data the answering model's data, null when none answers
 * @param test the test set's images and labels, null until they are in
 * @param training true while a run trains (no map is made meanwhile)
 * @param image the current picture, null when there is none
 */
export function useTestSetMap(
  enabled: boolean,
  data: ModelData | null,
  test: { images: Uint8Array; labels: Uint8Array } | null,
  training: boolean,
  image: Uint8Array | null,
): TestSetMapState | null {
  // Made in an effect, so that StrictMode's second mount gets a fresh one (the first is disposed).
  const [service, setService] = useState<TestSetMapService | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const created = createTestSetMapService();
    // The effect makes and disposes an outside resource; the state only hands it to the render.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setService(created);
    return () => created.dispose();
  }, [enabled]);
  const state = useSyncExternalStore(service?.subscribe ?? noSubscription, () => service?.getState() ?? null);
  useEffect(() => service?.setPaused(training), [service, training]);
  useEffect(() => service?.setTestSet(test?.images ?? null, test?.labels ?? null), [service, test?.images, test?.labels]);
  useEffect(() => service?.setModel(data), [service, data]);
  useEffect(() => service?.place(image), [service, image]);
  return state;
}
