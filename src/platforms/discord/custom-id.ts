/**
 * Buttons carry everything they need in their `custom_id` (at most 100 characters), so they keep
 * working after a restart: the action, and the request id that keys the durable job record.
 * `editdraft` carries a draft's id instead (the "Edit image" interaction's): its picker and form.
 */
export type ComponentAction =
  'reroll' | 'edit' | 'vary' | 'upscale' | 'share' | 'share-to' | 'delete' | 'editdraft';

const ACTIONS: ReadonlySet<string> = new Set<ComponentAction>([
  'reroll',
  'edit',
  'vary',
  'upscale',
  'share',
  'share-to',
  'delete',
  'editdraft',
]);

export function customId(action: ComponentAction, requestId: string): string {
  return `${action}:${requestId}`;
}

export function parseCustomId(
  id: string,
): { action: ComponentAction; requestId: string } | undefined {
  const separator = id.indexOf(':');
  if (separator < 0) return undefined;
  const action = id.slice(0, separator);
  const requestId = id.slice(separator + 1);
  if (!ACTIONS.has(action) || !/^\d{1,25}$/.test(requestId)) return undefined;
  return { action: action as ComponentAction, requestId };
}
