// matrix-bot-sdk's small storage interface (IStorageProvider) on the adapter state the core keeps in SQLite,
// so the sync token and the filter live with everything else and survive a restart. The sync token is written
// only when the adapter says a sync's events were handled (see MatrixAdapter), never before.
import type { IFilterInfo, IStorageProvider } from "matrix-bot-sdk";
import type { AdapterState } from "../../src/port.ts";

export const SYNC_TOKEN_KEY = "sync.token";
const FILTER_KEY = "sync.filter";
const VALUE_PREFIX = "sdk.";

export class StateStorage implements IStorageProvider {
  private frozen = false;

  constructor(private readonly state: AdapterState) {}

  /**
   * After the adapter stopped, a sync still in flight may come back and be "processed" with nobody handling
   * its events: its token must not be stored, so the next start sees those events again.
   */
  freeze(): void {
    this.frozen = true;
  }

  setSyncToken(token: string | null): void {
    if (this.frozen) return;
    if (token === null) this.state.delete(SYNC_TOKEN_KEY);
    else this.state.set(SYNC_TOKEN_KEY, token);
  }

  getSyncToken(): string | null {
    return this.state.get(SYNC_TOKEN_KEY) ?? null;
  }

  setFilter(filter: IFilterInfo): void {
    this.state.set(FILTER_KEY, JSON.stringify(filter));
  }

  getFilter(): IFilterInfo {
    const raw = this.state.get(FILTER_KEY);
    return (raw ? JSON.parse(raw) : null) as IFilterInfo;
  }

  storeValue(key: string, value: string): void {
    this.state.set(VALUE_PREFIX + key, value);
  }

  readValue(key: string): string | undefined {
    return this.state.get(VALUE_PREFIX + key);
  }
}
