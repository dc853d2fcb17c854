import { isUserError } from '../../core/errors.js';
import { KeyedMutex, type LockProvider } from '../../core/mutex.js';
import type { KeyValues, Store } from '../../core/store.js';
import { checkedSettings, withDefaults, type WorkspaceSettings } from './workspace-settings.js';

/**
 * Each server's settings in the store, so every replica reads the same ones and they survive a
 * restart. Changes run under the workspace's lock: two admins changing different settings at the
 * same moment both keep their change.
 */
export class WorkspaceSettingsService {
  constructor(
    private readonly records: KeyValues<Partial<WorkspaceSettings>>,
    /** Shared across replicas when the store is; in-process otherwise. */
    private readonly lock: LockProvider = new KeyedMutex(),
  ) {}

  static fromStore(store: Store): WorkspaceSettingsService {
    return new WorkspaceSettingsService(store.namespace('settings'), store.lock);
  }

  /** The workspace's settings; the defaults (today's behaviour) for one never configured. */
  async get(workspaceId: string): Promise<WorkspaceSettings> {
    return withDefaults(await this.records.get(workspaceId));
  }

  /**
   * Applies an admin's change to the current settings and saves the result, or throws the
   * catalogued refusal for bad input (nothing is saved then). Returns the settings as saved.
   */
  async update(
    workspaceId: string,
    change: (current: WorkspaceSettings) => WorkspaceSettings,
  ): Promise<WorkspaceSettings> {
    return this.lock.run(`settings:${workspaceId}`, async () => {
      const next = checkedSettings(change(await this.get(workspaceId)));
      if (isUserError(next)) throw next;
      await this.records.set(workspaceId, next);
      return next;
    });
  }
}
