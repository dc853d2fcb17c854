/** What STORE_URL names: `sqlite://PATH` (embedded default), `redis://…` (several processes), `memory://` (tests). */
export type StoreKind = 'sqlite' | 'redis' | 'memory';

export function storeKindOf(url: string): StoreKind {
  return url.startsWith('sqlite://') ? 'sqlite' : url.startsWith('redis') ? 'redis' : 'memory';
}

export function sqlitePathFromUrl(url: string): string {
  return url.replace(/^sqlite:\/\//, '');
}
