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
 * @param pair the side-by-side members' keys and titles, or null when side by side is off
 */
export function shownModels(
  s: ClassificationState,
  answering: { key: string; title: string } | null,
  pair: { key: string; title: string }[] | null,
): ShownModel[] {
  if (!s.image) return [];
  const wanted = pair ?? (answering ? [answering] : []);
  return wanted.flatMap(({ key, title }) => {
    const answer = s.answers[key];
    return answer?.ok ? [{ key, title, image: answer.image, version: answer }] : [];
  });
}
