/**
 * A data file that is missing, truncated or corrupt. `file` names it (as the manifest does), so
 * the page can say which file to rebuild and offer Retry.
 */
export type DatasetProblem = 'missing' | 'truncated' | 'corrupt' | 'network';

export class DatasetFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: DatasetProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DatasetFileError';
  }
}
