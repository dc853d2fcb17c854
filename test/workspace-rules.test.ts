import { describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../src/core/errors.js';
import {
  allowanceFor,
  blockedBy,
  checkedSettings,
  generationRefusal,
  defaultSettings,
  normaliseForMatching,
  placeRefusal,
  roleRefusal,
  ruleProblem,
  type WorkspaceSettings,
} from '../src/conversation/settings/index.js';

function settings(change: Partial<WorkspaceSettings> = {}): WorkspaceSettings {
  return { ...defaultSettings(), ...change };
}

describe('where generation works', () => {
  it('works in every channel and in DMs by default, as before admins could set anything', () => {
    expect(placeRefusal(settings(), { channelId: 'C1', direct: false })).toBeUndefined();
    expect(placeRefusal(settings(), { direct: true })).toBeUndefined();
  });

  it('with an allowlist, works in the listed channels and tells the others where to go', () => {
    const allow = settings({ channels: { mode: 'allow', ids: ['art', 'bots'] } });
    expect(placeRefusal(allow, { channelId: 'art', direct: false })).toBeUndefined();
    const refused = placeRefusal(allow, { channelId: 'general', direct: false });
    expect(refused?.code).toBe('channel_not_allowed');
    expect(refused?.params).toEqual({ channelIds: ['art', 'bots'] });
    expect(refused?.message).toContain('art, bots');
  });

  it('with an empty allowlist, works nowhere and says an admin has to allow a channel', () => {
    const none = settings({ channels: { mode: 'allow', ids: [] } });
    const refused = placeRefusal(none, { channelId: 'art', direct: false });
    expect(refused?.code).toBe('no_channel_allowed');
    expect(refused?.message).toMatch(/ask an admin/i);
  });

  it('with a denylist, refuses only the listed channels and points to the others', () => {
    const deny = settings({ channels: { mode: 'deny', ids: ['general'] } });
    expect(placeRefusal(deny, { channelId: 'art', direct: false })).toBeUndefined();
    const refused = placeRefusal(deny, { channelId: 'general', direct: false });
    expect(refused?.code).toBe('channel_not_allowed');
    expect(refused?.message).toMatch(/another channel/);
  });

  it('follows the DM switch in DMs, whatever the channel lists say', () => {
    const noDms = settings({ dms: false, channels: { mode: 'allow', ids: ['art'] } });
    expect(placeRefusal(noDms, { direct: true })?.code).toBe('dms_not_allowed');
    expect(placeRefusal(noDms, { channelId: 'art', direct: false })).toBeUndefined();
    const dms = settings({ channels: { mode: 'allow', ids: ['art'] } });
    expect(placeRefusal(dms, { channelId: 'D1', direct: true })).toBeUndefined();
  });
});

describe('who may generate', () => {
  const gated = settings({ roles: ['artists', 'mods'] });

  it('lets everyone generate when no role is required', () => {
    expect(roleRefusal(settings(), [])).toBeUndefined();
  });

  it('lets a member with any allowed role through and refuses one without, naming the roles', () => {
    expect(roleRefusal(gated, ['everyone', 'mods'])).toBeUndefined();
    const refused = roleRefusal(gated, ['everyone']);
    expect(refused?.code).toBe('role_not_allowed');
    expect(refused?.params).toEqual({ roleIds: ['artists', 'mods'] });
    expect(roleRefusal(gated, [])?.code).toBe('role_not_allowed');
  });

  it('does not gate a platform without roles', () => {
    expect(roleRefusal(gated, undefined)).toBeUndefined();
  });

  it("gives a member the highest of their roles' allowances, and none without one", () => {
    const allowances = settings({ roleAllowances: { artists: 50, mods: 200, guests: 0 } });
    expect(allowanceFor(allowances, ['guests', 'mods', 'artists'])).toBe(200);
    expect(allowanceFor(allowances, ['guests'])).toBe(0);
    expect(allowanceFor(allowances, ['everyone'])).toBeUndefined();
    expect(allowanceFor(allowances, undefined)).toBeUndefined();
    expect(allowanceFor(allowances, ['__proto__', 'constructor'])).toBeUndefined();
  });
});

describe('prompt rules', () => {
  it('match a word whatever its case, accents or invisible characters', () => {
    const list = ['gore'];
    for (const disguised of [
      'GORE',
      'Gōre',
      'góre',
      'g\u0301ore',
      'g\u200Bore',
      'go\u200Cr\u200De',
      'g\u00ADore',
      'g\u2060o\uFEFFre',
      'go\u202Ere',
      'ｇｏｒｅ',
      '𝐠𝐨𝐫𝐞',
    ]) {
      expect(blockedBy(`a scene full of ${disguised}, dramatic`, list), disguised).toEqual({
        rule: 'gore',
        source: 'server',
      });
    }
  });

  it('match an accented rule against the plain word and the other way round', () => {
    expect(blockedBy('un café noir', ['cafe'])?.rule).toBe('cafe');
    expect(blockedBy('a cafe at night', ['Café'])?.rule).toBe('Café');
  });

  it('match plain entries as whole words or phrases, not inside other words', () => {
    expect(blockedBy('a cat on a mat', ['cat'])).toBeDefined();
    expect(blockedBy('cat', ['cat'])).toBeDefined();
    expect(blockedBy('"Cat!"', ['cat'])).toBeDefined();
    expect(blockedBy('a category of concatenated cats', ['cat'])).toBeUndefined();
    expect(blockedBy('2cat', ['cat'])).toBeUndefined();
    expect(blockedBy('a Red  Fox running', ['red fox'])).toBeDefined();
    expect(blockedBy('a red-fox running', ['red fox'])).toBeDefined();
    expect(blockedBy('a red\nfox', ['red fox'])).toBeDefined();
    expect(blockedBy('a red box with a fox', ['red fox'])).toBeUndefined();
    expect(blockedBy('a bored fox', ['red fox'])).toBeUndefined();
  });

  it('match entries with punctuation literally', () => {
    expect(blockedBy('f*ck this', ['f*ck'])).toBeDefined();
    expect(blockedBy('fuck this', ['f*ck'])).toBeUndefined();
    expect(blockedBy('a.b', ['a.b'])).toBeDefined();
    expect(blockedBy('axb', ['a.b'])).toBeUndefined();
  });

  it('match words of scripts written without spaces inside the sentence', () => {
    expect(blockedBy('一只血腥的狐狸', ['血腥'])).toBeDefined();
    expect(blockedBy('一只可爱的狐狸', ['血腥'])).toBeUndefined();
  });

  it('treat re: entries as case-insensitive regular expressions on the normalised prompt', () => {
    const list = ['re:\\bn[a@]ked\\b', 're:^draw (him|her) as'];
    expect(blockedBy('A N@KED statue', list)?.rule).toBe('re:\\bn[a@]ked\\b');
    expect(blockedBy('a nakéd statue', list)?.rule).toBe('re:\\bn[a@]ked\\b');
    expect(blockedBy('na\u200Bked', list)?.rule).toBe('re:\\bn[a@]ked\\b');
    expect(blockedBy('Draw Her as a queen', list)?.rule).toBe('re:^draw (him|her) as');
    expect(blockedBy('a snaked road', list)).toBeUndefined();
    // Case-sensitive escapes keep their meaning: \S is not lowered into \s.
    expect(blockedBy('ab', ['re:a\\Sb'])).toBeUndefined();
    expect(blockedBy('axb', ['re:a\\Sb'])).toBeDefined();
    // An accented pattern matches the prompt with or without the accent.
    expect(blockedBy('ete', ['re:été'])).toBeDefined();
  });

  it('check the operator file first and say which list blocked the prompt', () => {
    expect(blockedBy('gore and blood', ['blood'], ['gore'])).toEqual({
      rule: 'gore',
      source: 'file',
    });
    expect(blockedBy('blood', ['blood'], ['gore'])).toEqual({ rule: 'blood', source: 'server' });
    expect(blockedBy('a calm lake', ['blood'], ['gore'])).toBeUndefined();
  });

  it('never block with an entry that is not a valid rule', () => {
    expect(blockedBy('anything (', ['re:('])).toBeUndefined();
    expect(blockedBy('anything', ['   '])).toBeUndefined();
  });

  it('normalise compatibility forms and drop what does not show', () => {
    expect(normaliseForMatching('Ｆｉｓｈ\u200B ﬁsh Ǆ İstanbul')).toBe('fish fish dz istanbul');
  });
});

describe('which rules an admin or the operator may set', () => {
  it('accepts words, phrases and safe regular expressions', () => {
    for (const entry of [
      'gore',
      'red fox',
      're:\\bn[a@]ked\\b',
      're:(cat|dog)s?',
      're:a{2,5}',
      're:[ab]{1,4}c?',
    ])
      expect(ruleProblem(entry), entry).toBeUndefined();
  });

  it('refuses an invalid regular expression, saying what is wrong', () => {
    expect(ruleProblem('re:(unclosed')).toMatch(/not a valid regular expression/);
    expect(ruleProblem('re:')).toMatch(/empty/);
  });

  it('refuses patterns that could take very long on a long prompt, and over-long entries', () => {
    const refused: [string, RegExp][] = [
      ['re:(a+)+$', /without a bound/],
      ['re:\\w+\\s*\\w+q', /without a bound/],
      ['re:.*', /without a bound/],
      ['re:a{2,}', /without a bound/],
      ['re:(a{1,3}){2}', /repeated group/],
      ['re:(cat|dog){2}', /repeated group/],
      ['re:((ab){2}c){3}', /repeated group/],
      ['re:\\w{1,20}\\w{1,20}x', /more than 100 ways/],
      ['re:(a|b|c)(d|e|f)(g|h|i)(j|k|l)(m|n|o)(p|q|r)x', /more than 100 ways/],
      ['re:(a)\\1', /back-references/],
      ['re:(?<x>a)\\k<x>', /back-references/],
    ];
    for (const [entry, reason] of refused) expect(ruleProblem(entry), entry).toMatch(reason);
    expect(ruleProblem('re:\\w{1,10}\\w{1,10}x')).toBeUndefined();
    expect(ruleProblem(`re:${'a'.repeat(201)}`)).toMatch(/200 characters/);
    expect(ruleProblem('a'.repeat(201))).toMatch(/200 characters/);
  });

  it('reads character classes and escapes as single atoms, not as groups', () => {
    expect(ruleProblem('re:[(a+)]{1,3}')).toBeUndefined();
    expect(ruleProblem('re:\\(a{1,3}\\){1,2}')).toBeUndefined();
    expect(ruleProblem('re:\\p{L}{3}')).toBeUndefined();
    expect(ruleProblem('re:(?<![a-z])cat(?:s)?(?=\\W)')).toBeUndefined();
    expect(ruleProblem('re:(?<word>cat)s?')).toBeUndefined();
  });
});

describe('settings an admin saves', () => {
  function refusalOf(result: WorkspaceSettings | UserError): UserError {
    if (!isUserError(result)) throw new Error('expected a refusal');
    return result;
  }

  it('are tidied: entries trimmed, repeats and blanks dropped', () => {
    const saved = checkedSettings(
      settings({
        blocklist: [' gore ', 'gore', ''],
        channels: { mode: 'allow', ids: ['C1', 'C1 '] },
      }),
    );
    expect(saved).toMatchObject({ blocklist: ['gore'], channels: { mode: 'allow', ids: ['C1'] } });
  });

  it('refuse a bad regular expression, naming the entry and the problem', () => {
    const refused = refusalOf(checkedSettings(settings({ blocklist: ['ok', 're:(a+)+'] })));
    expect(refused.code).toBe('blocklist_entry_invalid');
    expect(refused.message).toContain('"re:(a+)+"');
    expect(refused.message).toMatch(/without a bound/);
  });

  it('refuse budgets and allowances that are not whole credits', () => {
    expect(refusalOf(checkedSettings(settings({ dailyCredits: -1 }))).code).toBe(
      'settings_credits_invalid',
    );
    expect(refusalOf(checkedSettings(settings({ monthlyCredits: 2.5 }))).message).toContain(
      'monthly server budget',
    );
    expect(refusalOf(checkedSettings(settings({ roleAllowances: { r1: -3 } }))).code).toBe(
      'settings_credits_invalid',
    );
    expect(checkedSettings(settings({ dailyCredits: 0, monthlyCredits: 100 }))).toMatchObject({
      dailyCredits: 0,
      monthlyCredits: 100,
    });
  });

  it('refuse ids that are not ids, and lists too long to be meant', () => {
    expect(refusalOf(checkedSettings(settings({ roles: ['<@&123>'] }))).code).toBe(
      'settings_id_invalid',
    );
    const many = Array.from({ length: 101 }, (_, index) => `C${index}`);
    expect(
      refusalOf(checkedSettings(settings({ channels: { mode: 'deny', ids: many } }))).code,
    ).toBe('settings_list_too_long');
    const patterns = Array.from({ length: 51 }, (_, index) => `re:word${index}`);
    expect(refusalOf(checkedSettings(settings({ blocklist: patterns }))).message).toMatch(
      /regular expression list can hold at most 50/,
    );
    const words = Array.from({ length: 501 }, (_, index) => `word${index}`);
    expect(refusalOf(checkedSettings(settings({ blocklist: words }))).code).toBe(
      'settings_list_too_long',
    );
  });
});

describe('a generation under all of a server’s rules', () => {
  const rules = settings({
    channels: { mode: 'allow', ids: ['art'] },
    roles: ['artists'],
    blocklist: ['gore'],
  });
  const ask = { place: { channelId: 'art', direct: false }, roleIds: ['artists'] };

  it('passes when the place, the roles and the prompt are all fine', () => {
    expect(generationRefusal(rules, { ...ask, prompt: 'a red fox' }, ['blood'])).toBeUndefined();
  });

  it('refuses by place first, then by role, then by prompt', () => {
    expect(
      generationRefusal(rules, { place: { channelId: 'x', direct: false }, prompt: 'gore' })?.error
        .code,
    ).toBe('channel_not_allowed');
    expect(
      generationRefusal(rules, { ...ask, roleIds: ['guests'], prompt: 'gore' })?.error.code,
    ).toBe('role_not_allowed');
  });

  it('tells the user a server rule blocked the prompt without naming it, and keeps the rule for admins', () => {
    const refused = generationRefusal(rules, { ...ask, prompt: 'G\u200BÖRE everywhere' }, [
      'blood',
    ]);
    expect(refused?.error.code).toBe('prompt_blocked');
    expect(refused?.error.message).not.toMatch(/gore/i);
    expect(refused?.blockedBy).toEqual({ rule: 'gore', source: 'server' });
    expect(
      generationRefusal(rules, { ...ask, prompt: 'blood moon' }, ['blood'])?.blockedBy,
    ).toEqual({ rule: 'blood', source: 'file' });
  });
});
