import { describe, expect, it } from 'vitest';
import { LocalDispatcher } from '../src/core/engine/local-dispatcher.js';
import { silentLogger } from '../src/core/logger.js';

describe('the one-process dispatcher', () => {
  it('a job accepted while the bot is still starting runs once it starts, after the resumed ones, once each', async () => {
    const unfinished = [{ requestId: 'resumed' }, { requestId: 'early-and-recorded' }];
    const dispatcher = new LocalDispatcher(
      { listActive: () => Promise.resolve(unfinished as never) },
      silentLogger,
    );
    await dispatcher.dispatch('early-and-recorded');
    await dispatcher.dispatch('early');
    const ran: string[] = [];
    await dispatcher.start((requestId) => {
      ran.push(requestId);
      return Promise.resolve();
    });
    expect(ran).toEqual(['resumed', 'early-and-recorded', 'early']);
    await dispatcher.dispatch('later');
    expect(ran).toEqual(['resumed', 'early-and-recorded', 'early', 'later']);
  });
});
