/**
 * Which models "Inside the model" shows, and for which picture: the two members when they answer
 * side by side (Compare's pair), else the answering model. Each follows its latest answer, so the
 * views update once a model has answered a picture, and again when the model changes.
 */
import type { Answer, ClassificationState } from '../classify/classification-service.ts';

export interface ShownModel {
  /** The classification service's key of the model. */
  key: string;
  /** What the region calls it: "Your trained model", "CNN", "Dense network". */
  title: string;
  /** The picture its latest answer is about. */
  image: Uint8Array;
  /** Its latest answer: a new one comes with a new picture or a new model. */
  version: Answer;
}

/**
 * @param answering the answering model's key and title, or null while none answers
 * @param sideBySide whether side by side is on, and its members' titles, for the service's keys `pairKeys`
 */
export function shownModels(
  s: ClassificationState,
  answering: { key: string; title: string } | null,
  sideBySide: { on: boolean; members: readonly { title: string }[] },
  pairKeys: readonly string[],
): ShownModel[] {
  if (!s.image) return [];
  const pair = pairKeys.map((key, i) => ({ key, title: sideBySide.members[i]?.title ?? key }));
  const wanted = sideBySide.on ? pair : answering ? [answering] : [];
  return wanted.flatMap(({ key, title }) => {
    const answer = s.answers[key];
    return answer?.ok ? [{ key, title, image: answer.image, version: answer }] : [];
  });
}
