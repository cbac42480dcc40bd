/**
 * One colour per class (indexed like CLASS_NAMES) for the map of the test set: Tableau's ten,
 * chosen to stay apart from one another, also for most colour-blind eyes.
 */
export const CLASS_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#7f7f7f',
] as const;
