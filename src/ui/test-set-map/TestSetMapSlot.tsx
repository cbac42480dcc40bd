/** The map of the test set for one model shown inside the model: its own map worker, fed with the model, the test set and the picture. */
import { useRef } from 'react';
import type { ModelData } from '../../core/model-json.ts';
import { useSeenOnce } from '../hooks/useSeenOnce.ts';
import { TestSetMapView } from './TestSetMapView.tsx';
import { useTestSetMap } from './useTestSetMap.ts';

/**
 * The map is made once its section comes near the screen: a few seconds of a core that a visitor
 * who never scrolls to it should not pay for (and that would compete with the pad's answers).
 * @param enabled false where the page has no module workers (no map: it would hold up the page)
 * @param data the model's files, null while it has none
 * @param test the test set, null until it is in
 * @param training true while a run trains (no map is made meanwhile)
 * @param image the picture the model answered
 * @param title which picture it is ("your drawing")
 * @param onOpen answers a test image instead of the picture
 */
export function TestSetMapSlot(props: {
  enabled: boolean;
  data: ModelData | null;
  test: { images: Uint8Array; labels: Uint8Array } | null;
  training: boolean;
  image: Uint8Array;
  title: string;
  onOpen?: (index: number) => void;
}) {
  const section = useRef<HTMLElement>(null);
  const seen = useSeenOnce(section);
  const state = useTestSetMap(props.enabled && seen, props.data, props.test, props.training, props.image);
  return (
    <TestSetMapView
      sectionRef={section}
      deferred={props.enabled && !seen}
      state={state}
      title={props.title}
      testImages={props.test?.images ?? null}
      onOpen={props.onOpen}
    />
  );
}
