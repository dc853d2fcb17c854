/**
 * Action, callback and block ids shared by the renderers that put them on messages and views and
 * the handlers that react to them. Buttons carry only ids, so they keep working after a restart.
 */
export const ACTION = {
  reroll: 'imagine_reroll',
  share: 'imagine_share',
  delete: 'imagine_delete',
  retry: 'imagine_retry',
  openModal: 'imagine_open_modal',
  edit: 'imagine_edit',
  vary: 'imagine_vary',
  upscale: 'imagine_upscale',
  /** In the image picker: one button per image of the message, told apart by block id. */
  pickSource: 'imagine_pick_source',
  /** App Home, admins only: the settings modal, the usage report and the export (to the DM). */
  editSettings: 'imagine_edit_settings',
  usageReport: 'imagine_usage_report',
  exportCsv: 'imagine_export_csv',
} as const;

export const VIEW = {
  generate: 'imagine_generate_modal',
  share: 'imagine_share_modal',
  edit: 'imagine_edit_modal',
  pickSource: 'imagine_pick_source_modal',
  settings: 'imagine_settings_modal',
} as const;

export const SHORTCUT_GENERATE = 'imagine_generate_shortcut';
/** The message shortcut "Edit image". */
export const SHORTCUT_EDIT_IMAGE = 'imagine_edit_image';

export const FIELD = {
  prompt: 'prompt',
  aspectRatio: 'aspect_ratio',
  resolution: 'resolution',
  channel: 'channel',
  images: 'images',
  value: 'value',
} as const;

/** The settings modal's inputs, by block id (each holds one element, FIELD.value). */
export const SETTINGS_FIELD = {
  daily: 'daily_budget',
  monthly: 'monthly_budget',
  channelMode: 'channel_mode',
  channels: 'channels',
  dms: 'dms',
  blocklist: 'blocklist',
  auditChannel: 'audit_channel',
} as const;

/** What a result's buttons need: the job, and the Slack file that holds its image once uploaded. */
export interface ButtonValue {
  requestId: string;
  fileId?: string;
  /** On a shared copy: who shared it (they may delete their copy). */
  sharedBy?: string;
}

export function encodeButtonValue(value: ButtonValue): string {
  return JSON.stringify({
    r: value.requestId,
    ...(value.fileId ? { f: value.fileId } : {}),
    ...(value.sharedBy ? { s: value.sharedBy } : {}),
  });
}

export function decodeButtonValue(raw: string | undefined): ButtonValue | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { r?: unknown; f?: unknown; s?: unknown };
    if (typeof parsed.r !== 'string') return undefined;
    return {
      requestId: parsed.r,
      ...(typeof parsed.f === 'string' ? { fileId: parsed.f } : {}),
      ...(typeof parsed.s === 'string' ? { sharedBy: parsed.s } : {}),
    };
  } catch {
    return undefined;
  }
}
