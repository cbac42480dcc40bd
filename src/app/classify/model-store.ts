/**
 * Keeps the page's own models in IndexedDB so that they survive a reload: the model the last run
 * trained ('trained') and the last model file loaded ('file'), each with what the page says about
 * it (configuration, test metrics). One small object store, one record per slot.
 */
import type { StoredModel, StoredSlot } from './stored-model.ts';

export type { StoredModel, StoredSlot };

const DB_NAME = 'fashion-mnist-playground';
const STORE = 'models';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('this browser has no IndexedDB'));
      return;
    }
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'slot' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

async function withStore<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = body(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? request.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted (is the disk full?)'));
    });
  } finally {
    db.close();
  }
}

/** Saves `record` in its slot, replacing what was there. */
export function storeModel(record: StoredModel): Promise<void> {
  return withStore('readwrite', (store) => store.put(record)).then(() => undefined);
}

/** Removes the model kept in `slot` (one that can no longer answer). */
export function forgetModel(slot: StoredSlot): Promise<void> {
  return withStore('readwrite', (store) => store.delete(slot)).then(() => undefined);
}

/** Every stored model, by slot. */
export async function storedModels(): Promise<Partial<Record<StoredSlot, StoredModel>>> {
  const records = await withStore('readonly', (store) => store.getAll() as IDBRequest<StoredModel[]>);
  const out: Partial<Record<StoredSlot, StoredModel>> = {};
  for (const r of records) if (r && (r.slot === 'trained' || r.slot === 'file')) out[r.slot] = r;
  return out;
}
