import type { StoredPicture } from '../model/registry-state.js';
import type { RegistryChange } from '../model/types.js';
import type { RegistryView } from '../model/view.js';

/** What every store reports about itself; each implementation adds its own figures. */
export interface RegistryStoreStats {
  /** `sqlite`, `data-api`, or another implementation's name. */
  readonly kind: string;
  /** False while the last save failed. */
  readonly healthy: boolean;
  /** Saves that completed / failed since the store was created. */
  readonly saves: number;
  readonly failedSaves: number;
  readonly lastError: { readonly code: string; readonly message: string; readonly atMs: number } | null;
}

/**
 * Where the picture is kept beyond memory. Discovery calls `load` once at start (so enrichment works before HA
 * answers), then `save` for every change, without waiting for the previous save: a store keeps its own order.
 */
export interface RegistryStore {
  /** The live entries of a previous run, or undefined when the store cannot give any back. */
  load(): Promise<StoredPicture | undefined>;
  /** Persists one change. `view` is the picture after it. Rejects when the change could not be kept. */
  save(change: RegistryChange, view: RegistryView): Promise<void>;
  /** A snapshot for health and metrics. */
  stats(): RegistryStoreStats;
  /** Finishes what is in progress and releases the store. */
  close(): Promise<void>;
}
