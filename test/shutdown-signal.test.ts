import { afterEach, describe, expect, it } from 'vitest';
import { unlimitedAbortController } from '../src/core/shutdown-signal.js';

const warnings: Error[] = [];
const record = (warning: Error) => warnings.push(warning);

afterEach(() => {
  process.off('warning', record);
  warnings.length = 0;
});

/** Node emits the leak warning on the next tick: by the next turn of the event loop it is out. */
async function listenersWarnedAbout(controller: AbortController): Promise<string[]> {
  process.on('warning', record);
  for (let i = 0; i < 50; i++) controller.signal.addEventListener('abort', () => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  return warnings.map((warning) => warning.name);
}

describe('the shutdown signal shared by every call in flight', () => {
  it('takes a listener per waiting call without a leak warning in the operator log', async () => {
    expect(await listenersWarnedAbout(unlimitedAbortController())).toEqual([]);
  });
});
