/**
 * Counts what a WebGL training step costs besides its kernels: shader programs compiled (the
 * backend's program cache, one entry per compiled program; it starts empty in a fresh worker) and
 * texture uploads and downloads (calls into the backend's GPGPU context, wrapped while counting).
 * These are tfjs-backend-webgl 4.22 internals, read only for the benchmark: where they are missing
 * the counts are null rather than wrong.
 */
import * as tf from '@tensorflow/tfjs';

const UPLOADS = ['uploadDenseMatrixToTexture', 'uploadPixelDataToTexture'];
const DOWNLOADS = ['downloadMatrixFromPackedTexture', 'downloadByteEncodedFloatMatrixFromOutputTexture', 'downloadFloat32MatrixFromBuffer'];

type Method = (...args: unknown[]) => unknown;

interface WebglInternals {
  binaryCache?: Record<string, unknown>;
  gpgpu?: Record<string, unknown>;
}

export interface WebglCounters {
  /** Programs in the backend's cache now. */
  programs(): number | null;
  /** Uploads and downloads since the last reset; null where the context's methods were not found. */
  transfers(): { uploads: number; downloads: number } | null;
  reset(): void;
}

/** Counters for the active WebGL backend; call once per worker, after the backend started. */
export function watchWebgl(): WebglCounters {
  const backend = tf.backend() as unknown as WebglInternals;
  const gpgpu = backend.gpgpu;
  let uploads = 0;
  let downloads = 0;
  const wrap = (names: string[], count: () => void): boolean => {
    let all = true;
    for (const name of names) {
      const original = gpgpu?.[name];
      if (typeof original !== 'function') {
        all = false;
        continue;
      }
      gpgpu![name] = function (this: unknown, ...args: unknown[]) {
        count();
        return (original as Method).apply(this, args);
      };
    }
    return all;
  };
  const found = wrap(UPLOADS, () => uploads++) && wrap(DOWNLOADS, () => downloads++);
  return {
    programs: () => (backend.binaryCache ? Object.keys(backend.binaryCache).length : null),
    transfers: () => (found ? { uploads, downloads } : null),
    reset: () => {
      uploads = 0;
      downloads = 0;
    },
  };
}
