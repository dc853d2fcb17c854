import type { PlatformProfile } from '../context.js';
import type { Intent, Place, SettingsChange } from '../interaction.js';
import { refusal } from '../messages.js';

/** `credits <person> <amount>`: the person as the platform writes a mention (which may hold spaces). */
const CREDITS = /^credits\s+(<[^>]*>|\S+)\s+(\d{1,6})$/i;
const WHOLE = /^\d{1,10}$/;
/** Words that put a budget back to the operator's (SERVER_*_CREDITS). */
const DEFAULT_WORDS = new Set(['default', 'reset']);
const ON = new Set(['on', 'yes', 'allow', 'allowed']);
const OFF = new Set(['off', 'no', 'deny', 'denied']);

/**
 * `/imagine admin …` typed on a platform without slash-command options (Slack, the playground).
 * `text` is what follows `admin`. Anything it cannot read is refused with the whole syntax, so an
 * admin never has to guess.
 */
export function adminIntent(text: string, place: Place, profile: PlatformProfile): Intent {
  const [first = '', ...rest] = text.split(/\s+/).filter(Boolean);
  const word = first.toLowerCase();
  const after = text.trim().slice(first.length).trim();
  switch (word) {
    case '':
    case 'settings':
      if (rest.length === 0) return { kind: 'settings' };
      break;
    case 'usage': {
      if (rest.length === 0) return { kind: 'usage' };
      const person = profile.parsePerson?.(after, place);
      if (person) return { kind: 'usage', person };
      break;
    }
    case 'export':
      if (rest.length === 0) return { kind: 'export' };
      break;
    case 'help':
      if (rest.length === 0) return { kind: 'admin-help' };
      break;
    case 'credits': {
      const match = CREDITS.exec(text.trim());
      const person = match && profile.parsePerson?.(match[1]!, place);
      if (match && person) return { kind: 'set-credits', person, daily: Number(match[2]) };
      break;
    }
    default: {
      const change = settingsChange(word, rest, after, place, profile);
      if (change) return { kind: 'settings', change };
    }
  }
  throw refusal('admin_usage');
}

function settingsChange(
  word: string,
  rest: readonly string[],
  after: string,
  place: Place,
  profile: PlatformProfile,
): SettingsChange | undefined {
  const [second = '', ...more] = rest;
  const option = second.toLowerCase();
  switch (word) {
    case 'budget': {
      const [value = ''] = more;
      if ((option !== 'daily' && option !== 'monthly') || more.length !== 1) return undefined;
      const credits = DEFAULT_WORDS.has(value.toLowerCase())
        ? null
        : WHOLE.test(value)
          ? Number(value)
          : undefined;
      return credits === undefined ? undefined : { budget: { [option]: credits } };
    }
    case 'channels': {
      if (option === 'all' && more.length === 0) return { channels: { mode: 'all', ids: [] } };
      if (option !== 'allow' && option !== 'deny') return undefined;
      const ids = more.map((token) => profile.parseChannel?.(token, place));
      if (ids.length === 0 || ids.some((id) => id === undefined)) return undefined;
      return { channels: { mode: option, ids: ids as string[] } };
    }
    case 'dms':
      if (rest.length !== 1) return undefined;
      return ON.has(option) ? { dms: true } : OFF.has(option) ? { dms: false } : undefined;
    case 'blocklist': {
      // The entry is everything after the action, spaces included ("red fox", "re:\bfox\b").
      const entry = after.slice(second.length).trim();
      if (entry === '') return undefined;
      if (option === 'add') return { blocklist: { add: [entry] } };
      if (option === 'remove') return { blocklist: { remove: [entry] } };
      return undefined;
    }
    case 'audit-channel': {
      if (rest.length !== 1) return undefined;
      if (OFF.has(option) || option === 'none') return { auditChannel: null };
      const id = profile.parseChannel?.(second, place);
      return id === undefined ? undefined : { auditChannel: id };
    }
    default:
      return undefined;
  }
}
